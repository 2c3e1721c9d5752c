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
				'A bearer token from Enkash’s token API (POST {Base URL}/oauth/token with your API user’s credentials). It expires after 5 minutes: for schedules, webhooks and the Enkash Coins Trigger, use the Enkash Coins Password API credential, which renews it.',
		},
	];

	authenticate = bearerAuthentication('accessToken');

	test: ICredentialTestRequest = credentialTest;
}
