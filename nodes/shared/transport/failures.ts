import type { IDataObject } from 'n8n-workflow';

import { isRetriedNetworkCode, isRetriedStatus, parseRetryAfter } from './retry';

/** What a failed attempt tells the node. */
export interface FailedAttempt {
	status?: number;
	networkCode?: string;
	retryAfterMs?: number;
	body?: unknown;
	message: string;
}

/** An HTTP answer, whatever its status: requests are sent with `ignoreHttpStatusErrors`. */
export interface EnkashHttpResponse {
	statusCode: number;
	headers?: IDataObject;
	body: unknown;
}

/** An HTTP answer with an error status. */
export function describeResponse(response: EnkashHttpResponse): FailedAttempt {
	return {
		status: response.statusCode,
		retryAfterMs: parseRetryAfter(response.headers?.['retry-after']),
		body: response.body,
		message: `HTTP ${response.statusCode}`,
	};
}

const ERROR_CODE = /^(E[A-Z0-9_]{3,}|UND_ERR_[A-Z_]+|ERR_[A-Z_]+)$/;

export const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'no answer before the timeout',
	ETIMEDOUT: 'no answer before the timeout',
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'host name lookup failed',
};

/** A known network code named in a text, such as "connect ECONNREFUSED 127.0.0.1:9". */
function networkCodeInText(text: string): string | undefined {
	for (const [word] of text.matchAll(/\b(E[A-Z_]+|UND_ERR_[A-Z_]+)\b/g)) {
		if (isRetriedNetworkCode(word) || word in NETWORK_FAILURES) return word;
	}
	return /timeout of \d+ms exceeded/.test(text) ? 'ECONNABORTED' : undefined;
}

/**
 * The network error code (ECONNRESET, ...) of a request that got no answer.
 * n8n wraps the HTTP client's error in its own: n8n-workflow 2.34 and later
 * keep the original as `cause`; older versions drop it and keep the code only
 * as `httpCode` and the original message in `messages`, so all are read.
 */
function networkCodeOf(error: unknown): string | undefined {
	const texts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const candidate = current as IDataObject;
		for (const field of ['code', 'httpCode']) {
			const value = candidate[field];
			if (typeof value === 'string' && ERROR_CODE.test(value)) return value;
		}
		if (typeof candidate.message === 'string') texts.push(candidate.message);
		if (Array.isArray(candidate.messages)) texts.push(...candidate.messages.map(String));
		current = candidate.cause;
	}
	return texts.map(networkCodeInText).find((code) => code !== undefined);
}

/** A request that got no answer (sent with `ignoreHttpStatusErrors`, only these throw). */
export function describeThrown(error: unknown): FailedAttempt {
	return {
		networkCode: networkCodeOf(error),
		message: error instanceof Error ? error.message : String(error),
	};
}

/** Whether the failure is worth sending the request again (see retry.ts). */
export function isTransient(failure: FailedAttempt): boolean {
	if (failure.status !== undefined) return isRetriedStatus(failure.status);
	return isRetriedNetworkCode(failure.networkCode);
}
