import { AdaptiveConcurrency, RatePacer } from '../../../../nodes/shared/flow-control';
import { TokenBucket } from '../../../../sandbox/rate-limit';

/** Records the answers of second `second`, spread evenly over it, the 429s first. */
function answerSecond(pacer: RatePacer, second: number, answers: number, throttled = 0): void {
	for (let answer = 0; answer < answers; answer += 1) {
		pacer.record(second * 1000 + (answer * 1000) / answers, answer < throttled);
	}
}

/** The pace once the seconds recorded so far are over. */
function paceAfter(pacer: RatePacer, seconds: number): number | undefined {
	pacer.record(seconds * 1000, false);
	return pacer.requestsPerSecond;
}

describe('RatePacer', () => {
	it('lets requests start at once until Enkash first answers 429', () => {
		const pacer = new RatePacer();
		answerSecond(pacer, 0, 200);
		answerSecond(pacer, 1, 200);

		expect(paceAfter(pacer, 2)).toBeUndefined();
		expect(pacer.delayBeforeStart(2000)).toBe(0);
	});

	it('after the first second with 429s, paces at 5 % under what Enkash accepted in it', () => {
		const pacer = new RatePacer();
		answerSecond(pacer, 0, 150, 50);

		expect(paceAfter(pacer, 1)).toBeCloseTo(95);
		const delays = [0, 1, 2].map(() => pacer.delayBeforeStart(1000));
		[0, 1000 / 95, 2000 / 95].forEach((delay, turn) => expect(delays[turn]).toBeCloseTo(delay));
	});

	it('raises the pace by 2 % for each second without a 429', () => {
		const pacer = new RatePacer();
		answerSecond(pacer, 0, 150, 50);
		answerSecond(pacer, 1, 95);
		answerSecond(pacer, 2, 95);

		expect(paceAfter(pacer, 3)).toBeCloseTo(95 * 1.02 * 1.02);
	});

	it('lowers the pace by at most 15 % for a later second with 429s', () => {
		const pacer = new RatePacer();
		answerSecond(pacer, 0, 150, 50);
		answerSecond(pacer, 1, 60, 30);

		expect(paceAfter(pacer, 2)).toBeCloseTo(95 * 0.85);
	});

	it('never paces below 60 % of the most Enkash accepted in a second after the first with 429s', () => {
		const pacer = new RatePacer();
		answerSecond(pacer, 0, 150, 50);
		answerSecond(pacer, 1, 90);
		for (let second = 2; second < 10; second += 1) answerSecond(pacer, second, 20, 10);

		expect(paceAfter(pacer, 10)).toBeCloseTo(0.6 * 90);
	});
});

interface Simulation {
	requests: number;
	latencyMs: number;
	maxConcurrency: number;
	paced: boolean;
	/** Whether the API accepts a request arriving at `now`. */
	accepts: (now: number) => boolean;
}

/**
 * Runs requests the way the node does, on a simulated clock: as many in flight
 * as AdaptiveConcurrency allows, each started when the RatePacer says, a 429
 * resent after its Retry-After of 1 s.
 */
function simulate({ requests, latencyMs, maxConcurrency, paced, accepts }: Simulation) {
	let now = 0;
	const events: Array<{ at: number; run: () => void }> = [];
	const at = (time: number, run: () => void) => events.push({ at: time, run });
	const concurrency = new AdaptiveConcurrency(maxConcurrency);
	const pacer = new RatePacer();
	let started = 0;
	let running = 0;
	let sent = 0;
	let throttled = 0;

	const send = () => {
		at(now + (paced ? pacer.delayBeforeStart(now) : 0), () => {
			sent += 1;
			const accepted = accepts(now);
			at(now + latencyMs, () => {
				concurrency.record(!accepted);
				pacer.record(now, !accepted);
				if (!accepted) {
					throttled += 1;
					at(now + 1000, send);
					return;
				}
				running -= 1;
				startMore();
			});
		});
	};
	const startMore = () => {
		while (running < concurrency.limit && started < requests) {
			started += 1;
			running += 1;
			send();
		}
	};

	startMore();
	while (events.length > 0) {
		events.sort((a, b) => a.at - b.at);
		const event = events.shift()!;
		now = event.at;
		event.run();
	}
	return { perSecond: requests / (now / 1000), throttledShare: throttled / sent };
}

describe('the pace under a rate limit (simulated: 10,000 requests, answers after 30 ms)', () => {
	const underLimit = (maxConcurrency: number, paced: boolean) => {
		let now = 0;
		const bucket = new TokenBucket({ perSecond: 50 }, () => now);
		return simulate({
			requests: 10_000,
			latencyMs: 30,
			maxConcurrency,
			paced,
			accepts: (time) => {
				now = time;
				return bucket.take() === 0;
			},
		});
	};

	it.each([5, 20])(
		'with Max Concurrent Requests %i, fewer than 2 %% of requests are answered 429, at 90 %% of the limit or more',
		(maxConcurrency) => {
			const { perSecond, throttledShare } = underLimit(maxConcurrency, true);

			expect(throttledShare).toBeLessThan(0.02);
			expect(perSecond).toBeGreaterThanOrEqual(45);
		},
	);

	it('without the pacer, the concurrency alone leaves more requests answered 429', () => {
		expect(underLimit(20, false).throttledShare).toBeGreaterThan(0.05);
	});

	it('429s that come at any pace (every 10th request) slow the run by no more than half', () => {
		const everyTenth = (paced: boolean) => {
			let arrivals = 0;
			return simulate({
				requests: 2_000,
				latencyMs: 30,
				maxConcurrency: 20,
				paced,
				accepts: () => ++arrivals % 10 !== 0,
			});
		};

		expect(everyTenth(true).perSecond).toBeGreaterThan(everyTenth(false).perSecond / 2);
	});
});
