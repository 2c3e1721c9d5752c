import { TokenBucket } from '../../sandbox/rate-limit';

describe('the sandbox rate limit (a token bucket)', () => {
	function bucketAt(limit: { perSecond: number }) {
		let now = 0;
		const bucket = new TokenBucket(limit, () => now);
		return { bucket, advance: (ms: number) => (now += ms) };
	}

	it('lets one second of requests through at once, then says how long until the next request may go', () => {
		const { bucket } = bucketAt({ perSecond: 5 });

		expect(Array.from({ length: 5 }, () => bucket.take())).toEqual([0, 0, 0, 0, 0]);
		expect(bucket.take()).toBeCloseTo(0.2);
	});

	it('refills at the rate, never beyond one second of requests', () => {
		const { bucket, advance } = bucketAt({ perSecond: 2 });
		bucket.take();
		bucket.take();

		advance(500);
		expect(bucket.take()).toBe(0);
		expect(bucket.take()).toBeCloseTo(0.5);

		advance(10_000);
		expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
		expect(bucket.take()).toBeGreaterThan(0);
	});
});
