import { AdaptiveConcurrency } from '../../../../nodes/shared/flow-control';

/** Records `count` answers, throttled or not, and returns the limit after each. */
function answer(concurrency: AdaptiveConcurrency, count: number, throttled = false): number[] {
	return Array.from({ length: count }, () => {
		concurrency.record(throttled);
		return concurrency.limit;
	});
}

describe('AdaptiveConcurrency', () => {
	it('starts at 5 requests in flight, or at the maximum when that is lower', () => {
		expect(new AdaptiveConcurrency(20).limit).toBe(5);
		expect(new AdaptiveConcurrency(3).limit).toBe(3);
		expect(new AdaptiveConcurrency(1).limit).toBe(1);
	});

	it('doubles after each round of good answers until it reaches the maximum', () => {
		const limits = answer(new AdaptiveConcurrency(20), 115);

		expect([limits[3], limits[4], limits[13], limits[14]]).toEqual([5, 10, 10, 20]);
		expect(Math.max(...limits)).toBe(20);
	});

	it('halves on a 429, once for the requests that were in flight together', () => {
		const concurrency = new AdaptiveConcurrency(20);
		answer(concurrency, 15);

		// 20 were in flight: the 19 answers after the first 429 carry no news about the new limit.
		expect(answer(concurrency, 20, true)).toEqual(Array(20).fill(10));
		answer(concurrency, 1, true);
		expect(concurrency.limit).toBe(5);
	});

	it('after a 429, grows by one a round instead of doubling', () => {
		const concurrency = new AdaptiveConcurrency(20);
		answer(concurrency, 5);

		expect(answer(concurrency, 1, true)).toEqual([5]);
		expect(answer(concurrency, 11)).toEqual([5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7]);
	});

	it('never goes below one request in flight', () => {
		const concurrency = new AdaptiveConcurrency(4);

		for (let round = 0; round < 5; round += 1) answer(concurrency, 4, true);

		expect(concurrency.limit).toBe(1);
	});
});
