import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/** The credential each value of the Authentication parameter uses. */
export const CREDENTIAL_TYPES = {
	accessToken: 'enkashCoinsApi',
	password: 'enkashCoinsPasswordApi',
} as const;

export type Authentication = keyof typeof CREDENTIAL_TYPES;

const DEFAULT_AUTHENTICATION: Authentication = 'accessToken';

/** The Authentication parameter shared by the Enkash Coins nodes. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{
			name: 'Access Token',
			value: 'accessToken',
			description: 'A bearer token you paste; it expires within minutes',
		},
		{
			name: 'Password',
			value: 'password',
			description: 'Client and user credentials; tokens are fetched and renewed automatically',
		},
	],
	default: DEFAULT_AUTHENTICATION,
};

/** Shown while the node uses the Access Token credential, the default, on both nodes. (n8n's panel shows one Credential list for both types, in place of Authentication.) */
export const accessTokenNotice: INodeProperties = {
	displayName:
		'Enkash’s access tokens expire after 5 minutes. For schedules, webhooks and the Enkash Coins Trigger, pick an Enkash Coins Password API credential in the Credential list: it renews the token itself.',
	name: 'accessTokenNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['accessToken'] } },
};

/** The nodes' credentials, each shown for its value of Authentication. */
export const credentialsByAuthentication: INodeCredentialDescription[] = Object.entries(
	CREDENTIAL_TYPES,
).map(([authentication, name]) => ({
	name,
	required: true,
	displayOptions: { show: { authentication: [authentication] } },
}));

/** The credential type for a saved Authentication value; an unknown one falls back to the default. */
export function credentialTypeOf(authentication: unknown): string {
	return (
		CREDENTIAL_TYPES[authentication as Authentication] ?? CREDENTIAL_TYPES[DEFAULT_AUTHENTICATION]
	);
}
