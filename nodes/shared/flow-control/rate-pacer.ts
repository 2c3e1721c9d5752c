/** Enkash throttles by requests per second, so the pacer measures in windows of one second. */
const WINDOW_MS = 1000;

/** After a window with 429s, the pace is set this far below what Enkash accepted in it. */
const BELOW_ACCEPTED = 0.95;

/**
 * A later window with 429s lowers the pace by at most this factor: in such a
 * window the requests waiting out a Retry-After, and the concurrency halved,
 * also lowered what Enkash accepted, below its limit.
 */
const MOST_CUT_PER_WINDOW = 0.85;

/** Each window without a 429 raises the pace by this factor, probing for a limit that was raised. */
const GROWTH_PER_WINDOW = 1.02;

/**
 * The pace never drops below this share of the most Enkash accepted in one
 * window: 429s that do not come from the rate (a gateway's hiccup) keep coming
 * at any pace, and must not slow the run to a crawl.
 */
const FLOOR_SHARE_OF_PEAK = 0.6;

/**
 * How many requests a second to start, learnt from Enkash's 429s, so that a
 * run settles just under Enkash's rate limit instead of bouncing off it.
 * - Until the first 429, requests start as soon as the concurrency allows.
 * - At the end of the first second with a 429, the pace becomes what Enkash
 *   accepted in that second, less 5 %: a rate limiter accepts its limit.
 * - Each later second with a 429 sets it the same way, but lowers it by at
 *   most 15 %, and to no less than 60 % of the most Enkash accepted in a
 *   second since then (the first such second also spent the limiter's burst).
 * - Each second without a 429 raises it by 2 %.
 */
export class RatePacer {
	private pace?: number;

	private nextStartAt = 0;

	private windowStartedAt?: number;

	private accepted = 0;

	private throttled = 0;

	private peakAccepted = 0;

	/** Requests a second, or undefined while Enkash has not throttled. */
	get requestsPerSecond(): number | undefined {
		return this.pace;
	}

	/** How long the request about to start waits for its turn, in milliseconds. */
	delayBeforeStart(now: number): number {
		this.windowStartedAt ??= now;
		if (this.pace === undefined) return 0;
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + WINDOW_MS / this.pace;
		return startAt - now;
	}

	/** An answer arrived at `now`; `throttled` when it was HTTP 429. */
	record(now: number, throttled: boolean): void {
		this.windowStartedAt ??= now;
		const elapsed = now - this.windowStartedAt;
		if (elapsed >= WINDOW_MS) {
			this.closeWindow(elapsed);
			this.windowStartedAt = now;
		}
		if (throttled) this.throttled += 1;
		else this.accepted += 1;
	}

	private closeWindow(durationMs: number): void {
		const acceptedPerSecond = (this.accepted * WINDOW_MS) / durationMs;
		if (this.pace !== undefined) this.peakAccepted = Math.max(this.peakAccepted, acceptedPerSecond);
		if (this.throttled > 0) {
			this.pace = this.paceAfterThrottling(acceptedPerSecond);
		} else if (this.pace !== undefined) {
			this.pace *= GROWTH_PER_WINDOW;
		}
		this.accepted = 0;
		this.throttled = 0;
	}

	private paceAfterThrottling(acceptedPerSecond: number): number {
		const measured = acceptedPerSecond * BELOW_ACCEPTED;
		if (this.pace === undefined) return Math.max(1, measured);
		const cut = Math.min(this.pace, Math.max(measured, this.pace * MOST_CUT_PER_WINDOW));
		return Math.max(1, cut, this.peakAccepted * FLOOR_SHARE_OF_PEAK);
	}
}
