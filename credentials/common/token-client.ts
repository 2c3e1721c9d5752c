import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { loginMemory, type RememberedToken } from './login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	acceptedLoginOf,
	acceptedLoginRecord,
	loginFingerprint,
	recordedTokenFailure,
	tokenFailureMessage,
	tokenFailureRecord,
	tokenLifetimeSeconds,
	tokenUrlOf,
} from './password-grant';
import { singleFlight } from './single-flight';

/** What n8n stores in the credential after a token request: a token, or why there is none. */
export type TokenOutcome = {
	[SESSION_TOKEN_FIELD]: string;
	[TOKEN_FAILURE_FIELD]: string;
	[ACCEPTED_LOGIN_FIELD]?: string;
};

class TokenRequestFailed extends Error {
	constructor(
		message: string,
		/** Enkash answered and refused the login (HTTP 4xx). */
		readonly refused = false,
	) {
		super(message);
	}
}

function refusalOf(error: unknown): TokenRequestFailed {
	const response = (error as { response?: { status?: number; data?: unknown } }).response;
	if (!response?.status) {
		return new TokenRequestFailed(
			`Enkash refused the token request (the token endpoint could not be reached (${(error as { code?: string }).code ?? (error as Error).message}))`,
		);
	}
	let data = response.data;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			// Not JSON: the status alone explains it.
		}
	}
	const details = data && typeof data === 'object' ? (data as IDataObject) : {};
	const reason = details.error_description ?? details.error ?? details.message;
	return new TokenRequestFailed(
		`Enkash refused the token request (HTTP ${response.status}${typeof reason === 'string' ? `: ${reason}` : ''})`,
		response.status >= 400 && response.status < 500,
	);
}

function parseTokenResponse(response: unknown): IDataObject {
	if (typeof response !== 'string') return (response ?? {}) as IDataObject;
	let body: IDataObject | undefined;
	try {
		body = JSON.parse(response) as IDataObject;
	} catch {
		// Reported below.
	}
	if (!body) {
		throw new TokenRequestFailed('Enkash answered the token request with a body that is not JSON');
	}
	return body;
}

/**
 * The token and its lifetime from Enkash's answer. Enkash documents this
 * endpoint answering in snake_case (`access_token`, `expires_in`) for Point
 * Management and in camelCase (`accessToken`, `expiresIn`) for its payouts
 * product: both are read.
 */
export function readTokenAnswer(response: unknown): { token: string; lifetimeSeconds: number } {
	const body = parseTokenResponse(response);
	const token = body.access_token ?? body.accessToken;
	if (typeof token !== 'string' || token === '') {
		throw new TokenRequestFailed('Enkash answered the token request without an access_token');
	}
	return { token, lifetimeSeconds: tokenLifetimeSeconds(body.expires_in ?? body.expiresIn) };
}

async function requestToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ token: string; lifetimeSeconds: number }> {
	const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
		'base64',
	);
	let response: unknown;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: tokenUrlOf(credentials),
			headers: {
				Authorization: `Basic ${basic}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: new URLSearchParams({
				username: String(credentials.username),
				password: String(credentials.password),
				grant_type: 'password',
				clientId: String(credentials.clientId),
			}).toString(),
		});
	} catch (error) {
		throw refusalOf(error);
	}
	return readTokenAnswer(response);
}

function outcomeOf(token: RememberedToken): TokenOutcome {
	return {
		[SESSION_TOKEN_FIELD]: token.value,
		[TOKEN_FAILURE_FIELD]: '',
		[ACCEPTED_LOGIN_FIELD]: JSON.stringify(token.acceptedLogin),
	};
}

/** Asks Enkash for a token. A failure is returned, not thrown, so that n8n stores it. */
async function tokenRequestOutcome(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenOutcome> {
	try {
		const { token, lifetimeSeconds } = await requestToken(helper, credentials);
		const acceptedLogin = acceptedLoginRecord(credentials, lifetimeSeconds);
		const remembered = { value: token, acceptedLogin: JSON.parse(acceptedLogin) };
		loginMemory.rememberToken(remembered);
		return outcomeOf(remembered);
	} catch (error) {
		const { message, refused } = error as TokenRequestFailed;
		const record = tokenFailureRecord(credentials, { message, refused: refused === true });
		const failure = recordedTokenFailure({ ...credentials, [TOKEN_FAILURE_FIELD]: record });
		if (failure?.refused) loginMemory.rememberRefusal(failure);
		return { [SESSION_TOKEN_FIELD]: '', [TOKEN_FAILURE_FIELD]: record };
	}
}

const sharedTokenRequest = singleFlight<TokenOutcome>();

/**
 * A token for the credential's login, asking Enkash only when needed: a login
 * Enkash refused (recorded in the credential or remembered by this process) is
 * not sent again, since three refusals in a row lock the account; a token this
 * process already holds is used as it is; requests that need a token at the
 * same moment share one token request.
 */
export async function obtainToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenOutcome> {
	const login = loginFingerprint(credentials);
	const refusal = loginMemory.refusal(login, recordedTokenFailure(credentials));
	if (refusal) throw new Error(tokenFailureMessage(refusal, true));
	const remembered = loginMemory.freshToken(login);
	if (remembered) return outcomeOf(remembered);
	return await sharedTokenRequest(login, () => tokenRequestOutcome(helper, credentials));
}

/** The token the credential holds, as this process remembers tokens. */
export function storedToken(
	credentials: ICredentialDataDecryptedObject,
): RememberedToken | undefined {
	const acceptedLogin = acceptedLoginOf(credentials);
	const value = credentials[SESSION_TOKEN_FIELD];
	if (!acceptedLogin || typeof value !== 'string' || value === '') return undefined;
	return { value, acceptedLogin };
}
