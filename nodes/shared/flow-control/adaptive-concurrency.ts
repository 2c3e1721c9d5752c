/** Requests in flight when a run starts, before any answer has said how much Enkash takes. */
const INITIAL_LIMIT = 5;

/**
 * How many requests to keep in flight: found while the run goes, up to the
 * node's Max Concurrent Requests, the way TCP finds its congestion window.
 * - It starts at 5 (or the maximum, if lower) and doubles after each round of
 *   answers without a 429 ("slow start"), until the first 429.
 * - From then on it grows by one a round, and halves on a 429.
 * A round is as many answers as the limit. After a cut, the answers already in
 * flight carry no news about the new limit, so the next cut waits a round.
 * Latency is not a signal: inside n8n it climbs with n8n's own load as much as
 * with Enkash's.
 */
export class AdaptiveConcurrency {
	private current: number;

	private answersThisRound = 0;

	private answersUntilNextCut = 0;

	private slowStart = true;

	constructor(private readonly max: number) {
		this.current = Math.max(1, Math.min(max, INITIAL_LIMIT));
	}

	get limit(): number {
		return this.current;
	}

	/** An answer arrived; `throttled` when it was HTTP 429. */
	record(throttled: boolean): void {
		if (this.answersUntilNextCut > 0) this.answersUntilNextCut -= 1;
		if (throttled) {
			if (this.answersUntilNextCut > 0) return;
			this.answersUntilNextCut = this.current;
			this.current = Math.max(1, Math.floor(this.current / 2));
			this.slowStart = false;
			this.answersThisRound = 0;
			return;
		}
		this.answersThisRound += 1;
		if (this.answersThisRound < this.current) return;
		this.answersThisRound = 0;
		this.current = Math.min(this.max, this.slowStart ? this.current * 2 : this.current + 1);
	}
}
