import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlProperty, bearerAuthentication, credentialTest } from './shared/credential-parts';
import { singleFlight } from './shared/single-flight';
import {
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	loginFingerprint,
	recordedTokenFailure,
	tokenFailureMessage,
	tokenFailureRecord,
	tokenUrlOf,
} from '../nodes/EnkashCoins/shared/token-failure';

/** What n8n stores in the credential after a token request: a token, or why there is none. */
type TokenOutcome = { [SESSION_TOKEN_FIELD]: string; [TOKEN_FAILURE_FIELD]: string };

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
	try {
		return JSON.parse(response) as IDataObject;
	} catch {
		throw new TokenRequestFailed('Enkash answered the token request with a body that is not JSON');
	}
}

async function requestToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
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
	const body = parseTokenResponse(response);
	if (typeof body.access_token !== 'string' || body.access_token === '') {
		throw new TokenRequestFailed('Enkash answered the token request without an access_token');
	}
	return body.access_token;
}

/** A token, or an empty one with the failure recorded: returned, not thrown, so that n8n stores it. */
async function tokenOutcome(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenOutcome> {
	try {
		return {
			[SESSION_TOKEN_FIELD]: await requestToken(helper, credentials),
			[TOKEN_FAILURE_FIELD]: '',
		};
	} catch (error) {
		const { message, refused } = error as TokenRequestFailed;
		return {
			[SESSION_TOKEN_FIELD]: '',
			[TOKEN_FAILURE_FIELD]: tokenFailureRecord(credentials, {
				message,
				refused: refused === true,
			}),
		};
	}
}

const sharedTokenRequest = singleFlight<TokenOutcome>();

const sendWithSessionToken = bearerAuthentication(SESSION_TOKEN_FIELD);

export class EnkashCoinsPasswordApi implements ICredentialType {
	name = 'enkashCoinsPasswordApi';

	displayName = 'Enkash Coins Password API';

	// Literal, not shared: n8n's linters and package scanner read these fields statically.
	icon = {
		light: 'file:../nodes/EnkashCoins/enkashCoins.svg',
		dark: 'file:../nodes/EnkashCoins/enkashCoins.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-enkash-coins#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Session Token',
			name: SESSION_TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Failure',
			name: TOKEN_FAILURE_FIELD,
			type: 'hidden',
			default: '',
		},
		baseUrlProperty,
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description: 'The OAuth client ID Enkash issued for your integration',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			required: true,
			default: '',
			description: 'The Enkash API user',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Password of the Enkash API user. Enkash locks the account after 3 failed token requests in a row: check it carefully.',
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://pay-uat.enkash.in/oauth/token',
			description: 'Leave empty to use {Base URL}/oauth/token',
		},
	];

	/**
	 * Fetches a token with the password grant. n8n stores the result in the
	 * credential and calls this again when the token is empty or a request
	 * answers 401. Requests that need a token at the same moment share one token
	 * request. A failure is returned as an empty token with the failure recorded
	 * (see token-failure.ts), and a login Enkash has refused is not sent again:
	 * three refusals in a row lock the account.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const earlier = recordedTokenFailure(credentials);
		if (earlier?.refused) throw new Error(tokenFailureMessage(earlier, true));
		return await sharedTokenRequest(loginFingerprint(credentials), () =>
			tokenOutcome(this, credentials),
		);
	}

	/** Without a token the token request has failed: stop before anything reaches the API. */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => {
		if (!credentials[SESSION_TOKEN_FIELD]) {
			throw new Error(
				recordedTokenFailure(credentials)?.message ??
					'There is no Enkash token: the token request failed',
			);
		}
		return await sendWithSessionToken(credentials, requestOptions);
	};

	test: ICredentialTestRequest = credentialTest;
}
