import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlProperty, bearerAuthentication, credentialTest } from './common/credential-parts';
import { loginMemory } from './common/login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	RENEWAL_CLAIM_FIELD,
	RENEWAL_CLAIM_STORED,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	failureMessage,
	recordedTokenFailure,
} from './common/password-grant';
import { obtainToken, storedToken } from './common/token-client';

const sendWithSessionToken = bearerAuthentication(SESSION_TOKEN_FIELD);

/** Shaped as a 401 answer, which makes n8n call `preAuthentication` for a new token and send again. */
class TokenNeedsRenewal extends Error {
	readonly response = { status: 401 };

	constructor() {
		super('The Enkash token was issued for other values or has expired');
	}
}

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
		// Password fields, although not secrets: n8n's editor then receives them
		// redacted and sends back what is stored, never the copy it loaded.
		{
			displayName: 'Token Failure',
			name: TOKEN_FAILURE_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Accepted Login',
			name: ACCEPTED_LOGIN_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Renewal Claim',
			name: RENEWAL_CLAIM_FIELD,
			type: 'hidden',
			typeOptions: { password: true },
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
	 * edited since), or one past its expiry, is not sent. For the credential's
	 * Test, n8n is asked for a new token the way a 401 asks it, without sending
	 * anything; an execution sends no token, Enkash answers 401, and the node
	 * decides whether to renew (nodes/shared/transport/password-login.ts).
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => {
		// An execution's renewal claim goes to n8n's store through preAuthentication, and the request stops there (see login-memory.ts).
		const claimStage = loginMemory.claimStage(credentials);
		if (claimStage === 'pending') throw new TokenNeedsRenewal();
		if (claimStage === 'handed') throw new Error(RENEWAL_CLAIM_STORED);
		if (!credentials[SESSION_TOKEN_FIELD]) {
			const failure = recordedTokenFailure(credentials);
			throw new Error(
				failure ? failureMessage(failure) : 'There is no Enkash token: the token request failed',
			);
		}
		const held = storedToken(credentials);
		const usable = held !== undefined && Date.now() < Date.parse(held.acceptedLogin.expiresAt);
		if (usable) return await sendWithSessionToken(credentials, requestOptions);
		if (!loginMemory.isExecution(credentials)) throw new TokenNeedsRenewal();
		return await sendWithSessionToken(
			{ ...credentials, [SESSION_TOKEN_FIELD]: '' },
			requestOptions,
		);
	};

	test: ICredentialTestRequest = credentialTest;
}
