import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class EnkashCoinsApi implements ICredentialType {
	name = 'enkashCoinsApi';

	displayName = 'Enkash Coins API';

	icon = { light: 'file:../nodes/EnkashCoins/enkashCoins.svg', dark: 'file:../nodes/EnkashCoins/enkashCoins.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-enkash-coins#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://pay-uat.enkash.in',
			description: 'The Enkash API host given to you by Enkash, with or without a trailing slash',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A bearer token from the Enkash token API. Enkash tokens expire within minutes: for scheduled workflows use the Enkash Coins Password API credential instead.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	// Reading a balance is harmless and needs a valid token: a refused token answers 401.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v0/coins/balance',
			qs: { userId: 'n8n-credential-test' },
		},
	};
}
