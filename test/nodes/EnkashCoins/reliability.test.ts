/** What happens when requests fail, are slow or answer out of order: retries, concurrency, "On Error: Continue". */
import { useAllocationSandbox } from '../../helpers/allocate';
import { REFERRAL_ITEM, USER_ID, referralItems } from '../../helpers/fixtures';
import { apiRequests } from '../../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

describe('"On Error: Continue"', () => {
	it('outputs the failed item as an error paired to its input; the others are credited', async () => {
		sandbox().addFault({
			kind: 'envelopeFailure',
			message: 'User is blocked',
			match: { body: { userId: 'EKUSER2' } },
		});

		const { items, error } = await allocate(referralItems(4), {
			settings: { onError: 'continueRegularOutput' },
		});

		expect(error).toBeUndefined();
		expect(
			items?.map(({ json, pairedItem }) => [json.allocated ?? json.error, pairedItem]),
		).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
			[
				'Enkash rejected the request: User is blocked (POST /api/v0/enkash-coins/allocate-coin)',
				{ item: 2 },
			],
			[true, { item: 3 }],
		]);
		expect(
			['EKUSER0', 'EKUSER1', 'EKUSER2', 'EKUSER3'].map((user) => sandbox().balanceOf(user)),
		).toEqual([50, 50, 0, 50]);
	});

	it('without it, the first failure stops the node with the API message', async () => {
		sandbox().addFault({
			kind: 'envelopeFailure',
			message: 'User is blocked',
			match: { body: { userId: 'EKUSER0' } },
		});

		const { items, error } = await allocate(referralItems(3));

		expect(items).toBeUndefined();
		expect(error?.message).toBe(
			'Enkash rejected the request: User is blocked (POST /api/v0/enkash-coins/allocate-coin)',
		);
	});
});

describe('concurrency', () => {
	it('keeps output order and pairing when responses arrive out of order', async () => {
		sandbox().addFault({ kind: 'latency', delayMs: 150, match: { body: { userId: 'EKUSER1' } } });

		const { items } = await allocate(referralItems(6), {
			parameters: { options: { maxConcurrency: 5 } },
		});

		expect(items?.map(({ json, pairedItem }) => [json.userId, pairedItem])).toEqual(
			referralItems(6).map(({ userId }, index) => [userId, { item: index }]),
		);
		const arrival = apiRequests(sandbox()).map(({ body }) => (body as { userId: string }).userId);
		expect(arrival).toHaveLength(6);
	});

	/** The most requests that arrived within one latency window, i.e. were in flight together. */
	function peakInFlight(latencyMs: number) {
		const arrivals = apiRequests(sandbox()).map(({ at }) => at);
		return Math.max(
			...arrivals.map(
				(start) => arrivals.filter((at) => at >= start && at < start + latencyMs - 20).length,
			),
		);
	}

	it.each([1, 3])(
		'has at most %i requests in flight with Max Concurrent Requests %i',
		async (limit) => {
			sandbox().addFault({ kind: 'latency', delayMs: 120 });

			const { items } = await allocate(referralItems(7), {
				parameters: { options: { maxConcurrency: limit } },
			});

			expect(items).toHaveLength(7);
			expect(peakInFlight(120)).toBe(limit);
		},
	);

	it('at its defaults sends the first request alone, then 5 at once, doubling to 20 while Enkash answers well', async () => {
		// Answers slow enough that each round's requests arrive together, well apart from the
		// next round's, even on a busy machine.
		const latencyMs = 400;
		sandbox().addFault({ kind: 'latency', delayMs: latencyMs });

		const { items } = await allocate(referralItems(60));

		expect(items).toHaveLength(60);
		const arrivals = apiRequests(sandbox()).map(({ at }) => at);
		const roundSizes: number[] = [];
		for (let start = 0; start < arrivals.length; start += roundSizes[roundSizes.length - 1]) {
			roundSizes.push(
				arrivals.filter((at) => at >= arrivals[start] && at < arrivals[start] + latencyMs / 2)
					.length,
			);
		}
		expect(roundSizes.slice(0, 5)).toEqual([1, 5, 10, 20, 20]);
		expect(peakInFlight(latencyMs)).toBe(20);
	});
});

describe('retries', () => {
	const requestIdsSent = () =>
		apiRequests(sandbox()).map(({ body }) => (body as { requestId: string }).requestId);

	it.each([429, 502, 503, 504])(
		'retries HTTP %i with the same requestId and credits once',
		async (status) => {
			sandbox().addFault({ kind: 'status', status, times: 2 });

			const { items } = await allocate([REFERRAL_ITEM]);

			expect(items?.[0].json.allocated).toBe(true);
			expect(requestIdsSent()).toEqual(['REF-1', 'REF-1', 'REF-1']);
			expect(sandbox().balanceOf(USER_ID)).toBe(50);
		},
	);

	it('waits as long as Retry-After asks', async () => {
		sandbox().addFault({ kind: 'status', status: 429, retryAfter: 1, times: 1 });

		await allocate([REFERRAL_ITEM]);

		const [first, second] = apiRequests(sandbox());
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	it('does not credit twice when the answer to an applied allocation is lost', async () => {
		sandbox().addFault({ kind: 'reset', afterProcessing: true, times: 1 });

		const { items } = await allocate([REFERRAL_ITEM]);

		expect(items?.[0].json.allocated).toBe(true);
		expect(requestIdsSent()).toEqual(['REF-1', 'REF-1']);
		expect(sandbox().balanceOf(USER_ID)).toBe(50);
	});

	it('retries a request that stalls past the timeout', async () => {
		sandbox().addFault({ kind: 'stall', afterProcessing: true, times: 1 });

		const { items } = await allocate([REFERRAL_ITEM], {
			parameters: { options: { timeout: 1000 } },
		});

		expect(items?.[0].json.allocated).toBe(true);
		expect(requestIdsSent()).toEqual(['REF-1', 'REF-1']);
		expect(sandbox().balanceOf(USER_ID)).toBe(50);
	});

	it('gives up after three retries and says what happened', async () => {
		sandbox().addFault({ kind: 'status', status: 503, message: 'Down for maintenance' });

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(requestIdsSent()).toHaveLength(4);
		expect(error?.message).toBe(
			'Enkash answered HTTP 503: Down for maintenance (POST /api/v0/enkash-coins/allocate-coin)',
		);
	});

	it.each([400, 422, 500])('never retries HTTP %i', async (status) => {
		sandbox().addFault({ kind: 'status', status, message: 'Rejected', times: 1 });

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(requestIdsSent()).toHaveLength(1);
		expect(error?.message).toBe(
			`Enkash answered HTTP ${status}: Rejected (POST /api/v0/enkash-coins/allocate-coin)`,
		);
	});

	it('fails clearly on a body that is not the JSON envelope, without retrying', async () => {
		sandbox().addFault({ kind: 'malformed', times: 1 });

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(error?.message).toBe(
			'Enkash returned a response that is not JSON: "{"response_code":0,"respo" (POST /api/v0/enkash-coins/allocate-coin)',
		);
		expect(requestIdsSent()).toHaveLength(1);
	});

	it('retries an HTML error page from a gateway, then names the status', async () => {
		sandbox().addFault({ kind: 'html' });

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(error?.message).toBe(
			'Enkash answered HTTP 502 (POST /api/v0/enkash-coins/allocate-coin)',
		);
		expect(requestIdsSent()).toHaveLength(4);
	});
});
