import {
	MAX_RETRY_AFTER_MS,
	isRetriedNetworkCode,
	isRetriedStatus,
	parseRetryAfter,
	retryDelayMs,
} from '../../../../nodes/shared/transport/retry';

describe('which failures are retried', () => {
	it.each([429, 502, 503, 504])('retries HTTP %i', (status) => {
		expect(isRetriedStatus(status)).toBe(true);
	});

	it.each([400, 401, 403, 404, 409, 422, 500])('never retries HTTP %i', (status) => {
		expect(isRetriedStatus(status)).toBe(false);
	});

	it.each(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT'])(
		'retries the network error %s',
		(code) => {
			expect(isRetriedNetworkCode(code)).toBe(true);
		},
	);

	it('does not retry an unknown host or a missing code', () => {
		expect(isRetriedNetworkCode('ENOTFOUND')).toBe(false);
		expect(isRetriedNetworkCode(undefined)).toBe(false);
	});
});

describe('parseRetryAfter', () => {
	it('reads delta-seconds', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter('0.5')).toBe(500);
	});

	it('reads an HTTP date relative to now', () => {
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
		expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
	});

	it('takes the first of repeated headers', () => {
		expect(parseRetryAfter(['1', '9'])).toBe(1000);
	});

	it('ignores an absent or unreadable header', () => {
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});

describe('retryDelayMs', () => {
	it('follows Retry-After, capped', () => {
		expect(retryDelayMs(1, 1500)).toBe(1500);
		expect(retryDelayMs(1, 10 * 60_000)).toBe(MAX_RETRY_AFTER_MS);
	});

	it('backs off exponentially with jitter between half and all of the step', () => {
		expect(retryDelayMs(1, undefined, () => 0)).toBe(150);
		expect(retryDelayMs(1, undefined, () => 1)).toBe(300);
		expect(retryDelayMs(3, undefined, () => 1)).toBe(1200);
	});

	it('never waits longer than the cap', () => {
		expect(retryDelayMs(30, undefined, () => 1)).toBe(10_000);
	});
});
