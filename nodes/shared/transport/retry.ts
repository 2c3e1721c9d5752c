/** When and how long to wait before sending a request again. Pure, so it is unit-tested. */

export const MAX_RETRIES = 3;
const BASE_DELAY_MS = 300;
const MAX_DELAY_MS = 10_000;
/** A Retry-After longer than this is not worth holding the workflow for. */
export const MAX_RETRY_AFTER_MS = 60_000;

const RETRIED_STATUSES = new Set([429, 502, 503, 504]);

/** Network failures where the request may never have reached the API, or its answer was lost. */
const RETRIED_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ESOCKETTIMEDOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_CONNECT_TIMEOUT',
]);

export function isRetriedStatus(status: number | undefined): boolean {
	return status !== undefined && RETRIED_STATUSES.has(status);
}

export function isRetriedNetworkCode(code: string | undefined): boolean {
	return code !== undefined && RETRIED_NETWORK_CODES.has(code);
}

/** Retry-After in milliseconds, from delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value * 1000);
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter for the given retry (1 for the first), unless the API said when. */
export function retryDelayMs(retry: number, retryAfterMs?: number, random = Math.random): number {
	if (retryAfterMs !== undefined) return Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
	const exponential = Math.min(BASE_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS);
	return Math.round(exponential / 2 + random() * (exponential / 2));
}
