import { createHash } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlProperty, bearerAuthentication, credentialTest } from '../nodes/EnkashCoins/shared/credential-parts';
import { singleFlight } from '../nodes/EnkashCoins/shared/single-flight';
import { EnkashTokenError } from '../nodes/EnkashCoins/shared/token-error';

function tokenUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const tokenUrl = String(credentials.tokenUrl ?? '').trim();
	return tokenUrl || `${String(credentials.baseUrl).trim().replace(/\/+$/, '')}/oauth/token`;
}

function refusalReason(error: unknown): string {
	const response = (error as { response?: { status?: number; data?: unknown } }).response;
	if (!response?.status) {
		return `the token endpoint could not be reached (${(error as { code?: string }).code ?? (error as Error).message})`;
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
	return `HTTP ${response.status}${typeof reason === 'string' ? `: ${reason}` : ''}`;
}

function parseTokenResponse(response: unknown): IDataObject {
	if (typeof response !== 'string') return (response ?? {}) as IDataObject;
	try {
		return JSON.parse(response) as IDataObject;
	} catch {
		throw new EnkashTokenError('Enkash answered the token request with a body that is not JSON');
	}
}

const sharedTokenRequest = singleFlight<string>();

function tokenRequestKey(credentials: ICredentialDataDecryptedObject): string {
	const { clientId, clientSecret, username, password } = credentials;
	return createHash('sha256')
		.update(JSON.stringify([tokenUrlOf(credentials), clientId, clientSecret, username, password]))
		.digest('hex');
}

async function requestToken(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<string> {
	const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
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
		throw new EnkashTokenError(`Enkash refused the token request (${refusalReason(error)})`);
	}
	const body = parseTokenResponse(response);
	if (typeof body.access_token !== 'string' || body.access_token === '') {
		throw new EnkashTokenError('Enkash answered the token request without an access_token');
	}
	return body.access_token;
}

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
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
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
	 * Fetches a token with the password grant. n8n stores it in the hidden
	 * expirable field and calls this again when a request answers 401. Requests
	 * that find the token expired at the same moment share one token request,
	 * and a refused request is never retried: three refusals in a row lock the account.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const sessionToken = await sharedTokenRequest(tokenRequestKey(credentials), () =>
			requestToken(this, credentials),
		);
		return { sessionToken };
	}

	authenticate = bearerAuthentication('sessionToken');

	test: ICredentialTestRequest = credentialTest;
}
