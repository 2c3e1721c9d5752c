import type { ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/** What the two Enkash credential types have in common. */

export const baseUrlProperty: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'https://pay-uat.enkash.in',
	description: 'The Enkash API host given to you by Enkash, with or without a trailing slash',
};

/** Reading a balance is harmless and needs a valid token: a refused token answers 401. */
export const credentialTest: ICredentialTestRequest = {
	request: {
		baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
		url: '/api/v0/coins/balance',
		qs: { userId: 'n8n-credential-test' },
	},
};
