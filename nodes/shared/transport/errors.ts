import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { CREDENTIAL_TYPES } from '../authentication';
import type { EnkashRequest } from '../types';
import { checkEnvelope } from './envelope';
import { NETWORK_FAILURES, type EnkashHttpResponse, type FailedAttempt } from './failures';
import { redact, secretsOf } from './redact';
import { MAX_RETRIES, isRetriedStatus } from './retry';
import type { EnkashContext, EnkashSession } from './session';

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

/** What to do about a refused token depends on who got it: the user, or the password credential. */
const TOKEN_REFUSED_ADVICE: Record<string, string> = {
	[CREDENTIAL_TYPES.accessToken]:
		'The access token was refused: it may have expired. Generate a new one, or use the Enkash Coins Password API credential, which renews tokens automatically.',
	[CREDENTIAL_TYPES.password]:
		'Enkash issued this credential a token but refused it for this call, also when the node tried once more, so the login itself works. Check with Enkash that the API user may use the Coins API, then try again.',
};

const STATUS_ADVICE: Record<number, string> = {
	400: 'Enkash found the request malformed. Check the field its message names; turn on Full Response to see its whole answer.',
	403: 'The credential is not allowed to do this. Check the account’s permissions with Enkash.',
	404: 'Check the ID in the request and the credential’s Base URL.',
	422: 'Enkash could not accept these values. Check the field its message names, such as an event that does not exist for this Company ID.',
	429: `Enkash kept throttling requests after ${MAX_RETRIES} retries. Lower "Max Concurrent Requests" in the node options.`,
	500: 'Enkash failed while handling the request. It is not retried, because Enkash may have acted on it: run the workflow again later with the same Request ID.',
};
const UNAVAILABLE_ADVICE = `Enkash was unavailable, also after ${MAX_RETRIES} retries. Run the workflow again later.`;
const OTHER_STATUS_ADVICE =
	'Enkash did not accept the request. Turn on Full Response to see its whole answer, and ask Enkash about it.';

function statusAdvice(status: number, credentialType: string): string {
	if (status === 401) return TOKEN_REFUSED_ADVICE[credentialType];
	if (isRetriedStatus(status)) return STATUS_ADVICE[status] ?? UNAVAILABLE_ADVICE;
	return STATUS_ADVICE[status] ?? OTHER_STATUS_ADVICE;
}

/** What to tell the user about a request that failed: what happened to which call, and what to check. */
export function failureSummary(
	failure: FailedAttempt,
	request: EnkashRequest,
	{ credentialType }: Pick<EnkashSession, 'credentialType'>,
): { message: string; description?: string } {
	const call = `${request.method} ${request.path}`;
	if (failure.status !== undefined) {
		const apiMessage = apiMessageOf(failure.body);
		return {
			message: `Enkash answered HTTP ${failure.status}${apiMessage ? `: ${apiMessage}` : ''} (${call})`,
			description: statusAdvice(failure.status, credentialType),
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
	return {
		message: `Request to Enkash failed: ${failure.message} (${call})`,
		description:
			'Check the credential’s Base URL and the network between n8n and Enkash, then run the workflow again.',
	};
}

/** A redirect, which Enkash's API never sends: the Base URL points at something else. */
export function redirectSummary(
	response: EnkashHttpResponse,
	request: EnkashRequest,
): { message: string; description: string; httpCode: number } {
	const location = response.headers?.location;
	const target = typeof location === 'string' && location ? ` to ${location}` : '';
	return {
		message: `Enkash answered HTTP ${response.statusCode}, a redirect${target}, instead of answering (${request.method} ${request.path})`,
		description:
			'Enkash’s API does not redirect: set the credential’s Base URL to the address it answers on (for example https:// instead of http://).',
		httpCode: response.statusCode,
	};
}

/** An n8n error carrying only what is safe to show: no request options, headers or tokens. */
export function enkashApiError(
	context: EnkashContext,
	session: EnkashSession,
	itemIndex: number,
	summary: { message: string; description?: string; httpCode?: number },
): NodeApiError {
	// Computed now, not when the session opened: a token fetched since then is a secret too.
	const secrets = secretsOf(session.credentials.data);
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
