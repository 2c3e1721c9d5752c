import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlProperty, bearerAuthentication, credentialTest } from './common/credential-parts';
import {
	ACCEPTED_LOGIN_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	acceptedLoginOf,
	recordedTokenFailure,
} from './common/password-grant';
import { obtainToken } from './common/token-client';

const sendWithSessionToken = bearerAuthentication(SESSION_TOKEN_FIELD);

export class EnkashCoinsPasswordApi implements ICredentialType {
	name = 'enkashCoinsPasswordApi';

	displayName = 'Enkash Coins Password API';

	// Literal, not shared: n8n's linters and package scanner read these fields statically.
	icon = {
		light: 'file:../nodes/icons/enkashCoins.svg',
		dark: 'file:../nodes/icons/enkashCoins.dark.svg',
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
		{
			displayName: 'Accepted Login',
			name: ACCEPTED_LOGIN_FIELD,
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
			description:
				'The client ID Enkash issues, with its Client Secret, when it sets up API access for your company. Ask your Enkash contact for it.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The client secret Enkash issued together with the Client ID',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			required: true,
			default: '',
			description:
				'The user name of the API user Enkash set up for your company’s integration, given to you by Enkash with its password',
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
	 * Fetches a token with the password grant (see common/token-client.ts). n8n
	 * stores the result in the credential and calls this again when the token is
	 * empty, when a request answers 401, and for the credential's Test.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await obtainToken(this, credentials);
	}

	/**
	 * Without a token the token request has failed: stop before anything reaches
	 * the API. A token Enkash issued for other values (the credential has been
	 * edited since) is not sent: Enkash answers 401, and n8n then asks
	 * `preAuthentication` for a token for the current values. n8n 2.x's Test
	 * button asks for a token only that way once one is stored.
	 */
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
		const tokenOfTheseValues = acceptedLoginOf(credentials) !== undefined;
		return await sendWithSessionToken(
			tokenOfTheseValues ? credentials : { ...credentials, [SESSION_TOKEN_FIELD]: '' },
			requestOptions,
		);
	};

	test: ICredentialTestRequest = credentialTest;
}
