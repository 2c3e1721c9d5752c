import {
	NodeApiError,
	sleep,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { checkEnvelope, type EnkashEnvelope } from './envelope';
import { redact, secretsOf } from './redact';
import { EnkashTokenError } from './token-error';
import {
	MAX_RETRIES,
	isRetriedNetworkCode,
	isRetriedStatus,
	parseRetryAfter,
	retryDelayMs,
} from './retry';
import type { EnkashRequest } from './types';

/** What the node knows about the connection for the whole execution. */
export interface EnkashConnection {
	credentialType: string;
	credentials: ICredentialsDecrypted;
	baseUrl: string;
	timeoutMs: number;
}

/** What a failed attempt tells us, read from n8n's wrapped HTTP error. */
export interface FailedAttempt {
	status?: number;
	networkCode?: string;
	retryAfterMs?: number;
	body?: unknown;
	message: string;
	/** The token request itself was rejected: never to be retried, or the account locks. */
	tokenRejected: boolean;
}

export function normalizeBaseUrl(baseUrl: string): string {
	return baseUrl.trim().replace(/\/+$/, '');
}

function findInCauses<T>(error: unknown, read: (candidate: IDataObject) => T | undefined): T | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const found = read(current as IDataObject);
		if (found !== undefined) return found;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

export function describeFailure(error: unknown): FailedAttempt {
	const response = findInCauses(error, (candidate) =>
		candidate.response && typeof candidate.response === 'object'
			? (candidate.response as IDataObject)
			: undefined,
	);
	const status =
		typeof response?.status === 'number'
			? response.status
			: typeof response?.statusCode === 'number'
				? response.statusCode
				: undefined;
	const headers = (response?.headers ?? {}) as IDataObject;
	const networkCode = findInCauses(error, (candidate) =>
		typeof candidate.code === 'string' && /^[A-Z_]+$/.test(candidate.code) ? candidate.code : undefined,
	);
	const tokenError = findInCauses(error, (candidate) =>
		candidate instanceof EnkashTokenError ? candidate : undefined,
	);
	const message = tokenError?.message ?? (error instanceof Error ? error.message : String(error));
	return {
		status,
		networkCode,
		retryAfterMs: parseRetryAfter(headers['retry-after']),
		body: response?.data ?? response?.body,
		message,
		tokenRejected: tokenError !== undefined,
	};
}

function isTransient(failure: FailedAttempt): boolean {
	if (failure.tokenRejected) return false;
	if (failure.status !== undefined) return isRetriedStatus(failure.status);
	return isRetriedNetworkCode(failure.networkCode);
}

function apiMessageOf(body: unknown): string | undefined {
	const check = checkEnvelope(body);
	if (!check.ok && check.apiMessage) return check.apiMessage;
	if (body && typeof body === 'object') {
		const fields = body as IDataObject;
		for (const key of ['response_message', 'error_description', 'message', 'error']) {
			if (typeof fields[key] === 'string' && fields[key]) return fields[key] as string;
		}
	}
	return undefined;
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: 'no answer before the timeout',
	ETIMEDOUT: 'no answer before the timeout',
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'host name lookup failed',
};

function failureSummary(failure: FailedAttempt, request: EnkashRequest): { message: string; description?: string } {
	const call = `${request.method} ${request.path}`;
	if (failure.tokenRejected) {
		return {
			message: failure.message,
			description:
				'Check the client ID, client secret, username and password of the Enkash Coins Password API credential. Enkash locks the account after 3 failed token requests in a row.',
		};
	}
	if (failure.status !== undefined) {
		const apiMessage = apiMessageOf(failure.body);
		const advice: Record<number, string> = {
			401: 'The access token was refused: it may have expired. Generate a new one, or use the Enkash Coins Password API credential, which renews tokens automatically.',
			403: 'The credential is not allowed to do this. Check the account’s permissions with Enkash.',
			404: 'Check the ID in the request and the credential’s Base URL.',
			429: 'Enkash is throttling requests. Lower "Max Concurrent Requests" in the node options.',
		};
		return {
			message: `Enkash answered HTTP ${failure.status}${apiMessage ? `: ${apiMessage}` : ''} (${call})`,
			description: advice[failure.status],
		};
	}
	if (failure.networkCode) {
		const timedOut = failure.networkCode === 'ECONNABORTED' || failure.networkCode === 'ETIMEDOUT';
		return {
			message: `Could not reach Enkash (${NETWORK_FAILURES[failure.networkCode] ?? failure.networkCode}) for ${call}`,
			description: timedOut
				? 'The request timed out. Raise "Timeout" in the node options if Enkash is slow.'
				: 'Check the credential’s Base URL and that Enkash is reachable from n8n.',
		};
	}
	return { message: `Request to Enkash failed: ${failure.message} (${call})` };
}

const tokenRejections = new WeakSet<Error>();

/** Whether the error says the token request was refused; see {@link EnkashTokenError}. */
export function isTokenRejection(error: unknown): boolean {
	return error instanceof Error && tokenRejections.has(error);
}

/** An n8n error carrying only what is safe to show: no request options, headers or tokens. */
export function enkashApiError(
	context: IExecuteFunctions,
	connection: EnkashConnection,
	itemIndex: number,
	summary: { message: string; description?: string; httpCode?: number },
): NodeApiError {
	// Computed now, not when the connection opened: a token fetched since then is a secret too.
	const secrets = secretsOf(connection.credentials.data);
	const message = redact(summary.message, secrets);
	const description = summary.description && redact(summary.description, secrets);
	const safe: JsonObject = { message, ...(description ? { description } : {}) };
	const error = new NodeApiError(context.getNode(), safe, {
		message,
		description,
		httpCode: summary.httpCode === undefined ? undefined : String(summary.httpCode),
		itemIndex,
	});
	// NodeApiError swaps a message mentioning a network error code (ECONNREFUSED, ...)
	// for a generic sentence; ours already says what happened and to which call.
	error.message = message;
	return error;
}

/**
 * Sends one request with the node's credential, retrying transient failures
 * (network errors, timeouts, 429, 502, 503, 504) with backoff and Retry-After.
 * The request is resent unchanged, so an allocation keeps its requestId.
 */
export async function sendEnkashRequest(
	context: IExecuteFunctions,
	connection: EnkashConnection,
	request: EnkashRequest,
	itemIndex: number,
): Promise<EnkashEnvelope> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		json: true,
		timeout: connection.timeoutMs,
	};
	for (let retry = 0; ; retry++) {
		let body: unknown;
		try {
			body = await context.helpers.httpRequestWithAuthentication.call(
				context,
				connection.credentialType,
				{ ...options },
				{ credentialsDecrypted: connection.credentials },
			);
		} catch (error) {
			const failure = describeFailure(error);
			if (isTransient(failure) && retry < MAX_RETRIES) {
				await sleep(retryDelayMs(retry + 1, failure.retryAfterMs));
				continue;
			}
			const apiError = enkashApiError(context, connection, itemIndex, {
				...failureSummary(failure, request),
				httpCode: failure.status,
			});
			if (failure.tokenRejected) tokenRejections.add(apiError);
			throw apiError;
		}
		const check = checkEnvelope(body);
		if (!check.ok) {
			throw enkashApiError(context, connection, itemIndex, {
				message: `${check.problem} (${request.method} ${request.path})`,
			});
		}
		return check.envelope;
	}
}
