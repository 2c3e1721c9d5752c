import { TokenBucket } from '../../sandbox/rate-limit';

describe('the sandbox rate limit (a token bucket)', () => {
	function bucketAt(limit: { perSecond: number; burst?: number }) {
		let now = 0;
		const bucket = new TokenBucket(limit, () => now);
		return { bucket, advance: (ms: number) => (now += ms) };
	}

	it('lets a full burst through at once, then says how long until the next request may go', () => {
		const { bucket } = bucketAt({ perSecond: 50, burst: 3 });

		expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
		expect(bucket.take()).toBeCloseTo(0.02);
	});

	it('refills at the rate, never beyond the burst', () => {
		const { bucket, advance } = bucketAt({ perSecond: 10, burst: 2 });
		bucket.take();
		bucket.take();

		advance(100);
		expect(bucket.take()).toBe(0);
		expect(bucket.take()).toBeCloseTo(0.1);

		advance(10_000);
		expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
		expect(bucket.take()).toBeGreaterThan(0);
	});

	it('allows one second of requests in a burst by default', () => {
		const { bucket } = bucketAt({ perSecond: 5 });

		const answers = Array.from({ length: 6 }, () => bucket.take());

		expect(answers.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
		expect(answers[5]).toBeGreaterThan(0);
	});
});
