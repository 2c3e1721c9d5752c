import { Expression, type IHttpRequestOptions } from 'n8n-workflow';

import {
	CREDENTIAL_TEST_USER,
	baseUrlProperty,
	bearerAuthentication,
	credentialTest,
	normalizeBaseUrl,
} from '../../../credentials/common/credential-parts';
import { endpoints } from '../../../nodes/shared/transport/endpoints';
import { USER_ID } from '../../helpers/fixtures';

describe('normalizeBaseUrl', () => {
	it.each([
		['https://pay-uat.enkash.in', 'https://pay-uat.enkash.in'],
		['https://pay-uat.enkash.in/', 'https://pay-uat.enkash.in'],
		[' https://pay.enkash.in/gateway// ', 'https://pay.enkash.in/gateway'],
	])('%p becomes %p', (given, expected) => {
		expect(normalizeBaseUrl(given)).toBe(expected);
	});
});

describe('baseUrlProperty', () => {
	it('is the required text field baseUrl that saved credentials hold', () => {
		expect(baseUrlProperty).toMatchObject({
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
		});
	});
});

describe('credentialTest', () => {
	it('reads the balance of the test user, harmless, and fails on an answer refusing the token or without Enkash’s envelope', () => {
		expect(credentialTest.request).toMatchObject({
			url: endpoints.balance,
			qs: { userId: CREDENTIAL_TEST_USER },
			ignoreHttpStatusErrors: true,
		});
		expect(credentialTest.rules?.map(({ properties }) => properties)).toEqual([
			...['invalid_token', 'unauthorized', 'access_denied'].map((value) => ({
				key: 'error',
				value,
				message: expect.stringMatching(/^Enkash did not accept the token/),
			})),
			{
				key: 'response_code',
				value: undefined,
				message: expect.stringMatching(/^The Base URL answered, but not as Enkash’s API does/),
			},
		]);
	});

	it.each([
		['https://pay-uat.enkash.in', 'https://pay-uat.enkash.in'],
		['https://pay-uat.enkash.in//', 'https://pay-uat.enkash.in'],
	])('sends it to the Base URL %p as %p', (baseUrl, expected) => {
		// The leading "=" only marks the parameter as an expression.
		const expression = String(credentialTest.request.baseURL).replace(/^=/, '');
		expect(Expression.resolveWithoutWorkflow(expression, { $credentials: { baseUrl } })).toBe(
			expected,
		);
	});
});

describe('bearerAuthentication', () => {
	const request: IHttpRequestOptions = {
		url: 'https://pay-uat.enkash.in/api/v0/coins/balance',
		headers: { accept: 'application/json' },
		qs: { userId: USER_ID },
	};

	it('sends the named field as a bearer token and keeps the rest of the request', async () => {
		const authenticate = bearerAuthentication('sessionToken');

		expect(await authenticate({ sessionToken: 'tok-1', accessToken: 'other' }, request)).toEqual({
			...request,
			headers: { accept: 'application/json', Authorization: 'Bearer tok-1' },
		});
		expect(request.headers).toEqual({ accept: 'application/json' });
	});

	it('sends an empty bearer token when the field is empty, which Enkash refuses', async () => {
		const authenticated = await bearerAuthentication('accessToken')({}, { url: request.url });

		expect(authenticated.headers).toEqual({ Authorization: 'Bearer ' });
	});
});
