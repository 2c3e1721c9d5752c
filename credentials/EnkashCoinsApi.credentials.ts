import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import { baseUrlProperty, bearerAuthentication, credentialTest } from './common/credential-parts';

export class EnkashCoinsApi implements ICredentialType {
	name = 'enkashCoinsApi';

	displayName = 'Enkash Coins API';

	// Literal, not shared: n8n's linters and package scanner read these fields statically.
	icon = {
		light: 'file:../nodes/icons/enkashCoins.svg',
		dark: 'file:../nodes/icons/enkashCoins.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-enkash-coins#credentials';

	properties: INodeProperties[] = [
		baseUrlProperty,
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

	authenticate = bearerAuthentication('accessToken');

	test: ICredentialTestRequest = credentialTest;
}
