import { AdaptiveConcurrency } from './adaptive-concurrency';
import { runFirstAlone } from './concurrency';
import { RatePacer } from './rate-pacer';

export { AdaptiveConcurrency, RatePacer };
export { mapWithConcurrency } from './concurrency';

/**
 * Keeps a run's requests within what Enkash takes: how many are in flight
 * (AdaptiveConcurrency, up to Max Concurrent Requests) and, once Enkash has
 * throttled, how many start each second (RatePacer). The transport asks it
 * before each send and tells it of every answer.
 */
export class FlowControl {
	private readonly concurrency: AdaptiveConcurrency;

	private readonly pacer = new RatePacer();

	constructor(
		maxConcurrency: number,
		private readonly clock: () => number = Date.now,
	) {
		this.concurrency = new AdaptiveConcurrency(maxConcurrency);
	}

	/**
	 * Runs `task` for each of `indices`: the first alone, so that the credential
	 * fetches its token once (or is refused once), then the rest with as many in
	 * flight as Enkash takes.
	 */
	async run(indices: number[], task: (index: number) => Promise<void>): Promise<void> {
		await runFirstAlone(indices, () => this.concurrency.limit, task);
	}

	/** How long the request about to be sent waits for its turn, in milliseconds. */
	delayBeforeSend(): number {
		return this.pacer.delayBeforeStart(this.clock());
	}

	/** An answer arrived; `throttled` when it was HTTP 429. */
	record(throttled: boolean): void {
		this.concurrency.record(throttled);
		this.pacer.record(this.clock(), throttled);
	}
}
