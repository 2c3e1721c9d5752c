// @ts-check
'use strict';

/**
 * The sandbox's rate limit: a token bucket refilled at `perSecond` and holding
 * up to `burst` requests, as API gateways commonly throttle.
 */
class TokenBucket {
	/**
	 * @param {{ perSecond: number, burst?: number }} limit
	 * @param {() => number} [now] milliseconds; replaceable in tests
	 */
	constructor({ perSecond, burst = perSecond }, now = Date.now) {
		this.perSecond = perSecond;
		this.burst = burst;
		this.now = now;
		this.tokens = burst;
		this.refilledAt = now();
	}

	/**
	 * Takes a request's token if there is one.
	 * @returns {number} 0 when the request may go ahead, else the seconds until a token is free
	 */
	take() {
		const now = this.now();
		this.tokens = Math.min(
			this.burst,
			this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond,
		);
		this.refilledAt = now;
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return 0;
		}
		return (1 - this.tokens) / this.perSecond;
	}
}

module.exports = { TokenBucket };
