import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../../../credentials/common/credential-parts';
import { SESSION_TOKEN_FIELD } from '../../../credentials/common/password-grant';

import { FlowControl } from '../flow-control';
import { checkEnvelope, type EnkashEnvelope } from './envelope';
import { redact, secretsOf } from './redact';
import {
	MAX_RETRIES,
	isRetriedNetworkCode,
	isRetriedStatus,
	parseRetryAfter,
	retryDelayMs,
} from './retry';
import { PasswordLogin } from './password-login';
import type { EnkashRequest } from '../types';
import { CREDENTIAL_TYPES, credentialTypeOf } from '../authentication';

/** Where the transport runs: the action node's execution or the trigger's poll. */
export type EnkashContext = IExecuteFunctions | IPollFunctions;

/** What the node knows about the connection for the whole execution. */
export interface EnkashConnection {
	credentialType: string;
	credentials: ICredentialsDecrypted & { data: ICredentialDataDecryptedObject };
	baseUrl: string;
	timeoutMs: number;
	/** With the password credential, which fetches its own tokens: its login's state. */
	passwordLogin?: PasswordLogin;
	/** Asked before every send and told of every answer, so that the run sends as much as Enkash takes. */
	flow: FlowControl;
}

/**
 * Reads the credential once per execution: every request shares it, so a token
 * the password credential obtains is stored on this object and reused by all.
 */
export async function openConnection(
	context: EnkashContext,
	authentication: unknown,
	{ timeoutMs, maxConcurrency }: { timeoutMs: number; maxConcurrency: number },
): Promise<EnkashConnection> {
	const credentialType = credentialTypeOf(authentication);
	const data = await context.getCredentials(credentialType);
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new NodeOperationError(
			context.getNode(),
			`The credential's Base URL "${String(data.baseUrl ?? '').trim()}" is not a valid http(s) URL`,
			{ description: 'Set it to the Enkash API host, for example https://pay-uat.enkash.in' },
		);
	}
	return {
		credentialType,
		credentials: {
			id: context.getNode().credentials?.[credentialType]?.id ?? '',
			name: credentialType,
			type: credentialType,
			data,
		},
		baseUrl,
		timeoutMs,
		passwordLogin:
			credentialType === CREDENTIAL_TYPES.password
				? new PasswordLogin(data, context.getMode())
				: undefined,
		flow: new FlowControl(maxConcurrency),
	};
}

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

const NETWORK_FAILURES: Record<string, string> = {
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

/** Whether the credential's login stops every request of the run (see PasswordLogin.problem). */
export function loginStopsRun(connection: EnkashConnection): boolean {
	return connection.passwordLogin?.problem() !== undefined;
}

function isTransient(failure: FailedAttempt): boolean {
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

function failureSummary(
	failure: FailedAttempt,
	request: EnkashRequest,
): { message: string; description?: string } {
	const call = `${request.method} ${request.path}`;
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
 *
 * HTTP errors come back as answers (`ignoreHttpStatusErrors`) rather than as
 * n8n's wrapped error, so that their status, headers and body read the same on
 * every n8n version. That also means n8n does not renew a token on 401 by
 * itself: PasswordLogin.refresh empties the credential's token, which makes n8n
 * ask the credential's `preAuthentication` for a new one on the next send.
 */
export async function sendEnkashRequest(
	context: EnkashContext,
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
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Enkash's API does not redirect; following one would resend an allocation elsewhere.
		disableFollowRedirect: true,
	};
	const credentialData = connection.credentials.data;
	const { passwordLogin } = connection;
	const readStoredCredential = async () => await context.getCredentials(connection.credentialType);
	let tokenRenewed = false;
	for (let retry = 0; ; ) {
		if (passwordLogin) {
			await passwordLogin.refresh(readStoredCredential);
			const problem = passwordLogin.problem();
			if (problem) throw enkashApiError(context, connection, itemIndex, problem);
		}
		const tokenSent = credentialData[SESSION_TOKEN_FIELD];
		let response: EnkashHttpResponse;
		const turn = connection.flow.delayBeforeSend();
		if (turn > 0) await sleep(turn);
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				connection.credentialType,
				{ ...options },
				{ credentialsDecrypted: connection.credentials },
			)) as EnkashHttpResponse;
		} catch (error) {
			const problem = passwordLogin?.problem();
			if (problem) throw enkashApiError(context, connection, itemIndex, problem);
			const failure = describeThrown(error);
			if (isTransient(failure) && retry < MAX_RETRIES) {
				await sleep(retryDelayMs(++retry));
				continue;
			}
			throw enkashApiError(context, connection, itemIndex, failureSummary(failure, request));
		}
		connection.flow.record(response.statusCode === 429);
		if (response.statusCode === 401 && passwordLogin && !tokenRenewed) {
			tokenRenewed = true;
			await passwordLogin.refresh(readStoredCredential, tokenSent);
			continue;
		}
		if (response.statusCode >= 300 && response.statusCode < 400) {
			throw enkashApiError(context, connection, itemIndex, redirectSummary(response, request));
		}
		if (response.statusCode >= 400) {
			const failure = describeResponse(response);
			if (isTransient(failure) && retry < MAX_RETRIES) {
				await sleep(retryDelayMs(++retry, failure.retryAfterMs));
				continue;
			}
			throw enkashApiError(context, connection, itemIndex, {
				...failureSummary(failure, request),
				httpCode: failure.status,
			});
		}
		const check = checkEnvelope(response.body);
		if (!check.ok) {
			throw enkashApiError(context, connection, itemIndex, {
				message: `${check.problem} (${request.method} ${request.path})`,
			});
		}
		return check.envelope;
	}
}
