// @ts-check
'use strict';

/**
 * The sandbox's rate limit: a token bucket refilled at `perSecond` and holding
 * one second's requests, as API gateways commonly throttle.
 */
class TokenBucket {
	/**
	 * @param {{ perSecond: number }} limit
	 * @param {() => number} [now] milliseconds; replaceable in tests
	 */
	constructor({ perSecond }, now = Date.now) {
		this.perSecond = perSecond;
		this.now = now;
		this.tokens = perSecond;
		this.refilledAt = now();
	}

	/**
	 * Takes a request's token if there is one.
	 * @returns {number} 0 when the request may go ahead, else the seconds until a token is free
	 */
	take() {
		const now = this.now();
		this.tokens = Math.min(
			this.perSecond,
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
