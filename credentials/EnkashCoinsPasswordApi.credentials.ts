import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	baseUrlProperty,
	bearerAuthentication,
	credentialTest,
	isCredentialTestRequest,
} from './common/credential-parts';
import { CarrierDelivered, loginMemory } from './common/login-memory';
import {
	LOGIN_ATTEMPT_FIELD,
	LOGIN_STATE_FIELD,
	RENEWAL_CLAIM_FIELD,
	SESSION_TOKEN_FIELD,
} from './common/login-state';
import { loginHold, obtainToken, sendableToken } from './common/token-client';

const sendWithSessionToken = bearerAuthentication(SESSION_TOKEN_FIELD);

/**
 * Shaped as a 401 answer, so that n8n calls `preAuthentication` for a token and
 * tries again; nothing was sent. `preAuthentication` applies the rule.
 */
class TokenNeeded extends Error {
	readonly response = { status: 401 };

	constructor() {
		super('There is no Enkash token for these values yet: nothing was sent');
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
			displayName: 'Login State',
			name: LOGIN_STATE_FIELD,
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
		{
			displayName: 'Login Attempt',
			name: LOGIN_ATTEMPT_FIELD,
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 1,
			description:
				'Values Enkash refused are never sent again, so that the account is not locked. Once Enkash has restored the password or unlocked the account, raise this by one and Save: that sends one token request.',
		},
	];

	/** Only the Enkash Coins nodes may use it (n8n 2.x): another node would send its login outside the rule. */
	supportedNodes = ['enkashCoins', 'enkashCoinsTrigger'];

	restrictToSupportedNodes = true as const;

	/**
	 * Fetches a token with the password grant, under the credential's rule
	 * (common/token-client.ts). n8n stores what it returns in the credential. n8n
	 * calls it for the credential's test, when the token field is empty, and
	 * after a 401.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await obtainToken(this, credentials);
	}

	/**
	 * Sends the token only when it was issued for the credential's current
	 * values and has not expired. Otherwise nothing is sent: a refused login, or
	 * one a caller other than the credential's test may not send, says why; else
	 * n8n is asked for a token (TokenNeeded). The credential's own test request
	 * marks its data as a person's (see obtainToken). The Enkash
	 * nodes renew before they send (nodes/shared/transport/password-login.ts).
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	) => {
		if (loginMemory.deliver(credentials)) throw new CarrierDelivered();
		const test = isCredentialTestRequest(requestOptions);
		if (test) loginMemory.markAttended(credentials);
		if (sendableToken(credentials)) return await sendWithSessionToken(credentials, requestOptions);
		const hold = loginHold(credentials, test);
		if (hold) throw new Error(hold.message);
		throw new TokenNeeded();
	};

	test: ICredentialTestRequest = credentialTest;
}
