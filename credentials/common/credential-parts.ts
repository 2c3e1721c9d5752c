import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** What the two Enkash credential types have in common. */

export const baseUrlProperty: INodeProperties = {
	displayName: 'Base URL',
	name: 'baseUrl',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'https://pay-uat.enkash.in',
	description:
		'The Enkash host the API calls go to, with or without a trailing slash. For testing: Enkash’s UAT host, https://pay-uat.enkash.in. For live use: https://pay.enkash.in is the host Enkash uses for its other live products; confirm it with Enkash before going live.',
};

/** The Base URL as requests are built from it: trimmed, without trailing slashes. */
export function normalizeBaseUrl(baseUrl: unknown): string {
	return String(baseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
}

/** The user whose balance the credentials' test reads (n8n tests a credential on Save and when its dialog opens). */
export const CREDENTIAL_TEST_USER = 'n8n-credential-test';

const CREDENTIAL_TEST_PATH = '/api/v0/coins/balance';

/** Whether n8n is sending the credential's own test request, as its credential test does. */
export function isCredentialTestRequest(requestOptions: IHttpRequestOptions): boolean {
	const { url = '', qs } = requestOptions;
	return qs?.userId === CREDENTIAL_TEST_USER && url.endsWith(CREDENTIAL_TEST_PATH);
}

/** How Enkash (Spring Security OAuth2) names a token it does not accept, in a 401 or 403 answer. */
const REFUSED_TOKEN_ERRORS = ['invalid_token', 'unauthorized', 'access_denied'];

/** Every answer of Enkash's API carries this field; an answer without it is from something else. */
const ENVELOPE_FIELD = 'response_code';

/**
 * Reading a balance is harmless and needs a valid token. The test passes once
 * Enkash accepts the token, whatever it answers about the made-up user. It
 * fails on an answer refusing the token, and on an answer without Enkash's
 * envelope (a web page, another service), which means the Base URL leads
 * elsewhere. n8n applies the rules in order: the first that matches fails it.
 */
export const credentialTest: ICredentialTestRequest = {
	request: {
		baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
		url: CREDENTIAL_TEST_PATH,
		qs: { userId: CREDENTIAL_TEST_USER },
		ignoreHttpStatusErrors: true,
	},
	rules: [
		...REFUSED_TOKEN_ERRORS.map((error) => ({
			type: 'responseSuccessBody' as const,
			properties: {
				key: 'error',
				value: error,
				message: `Enkash did not accept the token (${error}). With the Access Token credential, paste a new token and Save; the Password credential renews its token when it expires, within 5 minutes.`,
			},
		})),
		{
			type: 'responseSuccessBody' as const,
			properties: {
				key: ENVELOPE_FIELD,
				value: undefined,
				message: `The Base URL answered, but not as Enkash’s API does (no ${ENVELOPE_FIELD}): it leads to another site or service. Correct the Base URL and Save.`,
			},
		},
	],
};

/**
 * Sets `Authorization: Bearer <token>` from the given credential field. A
 * function rather than n8n's declarative `=Bearer {{$credentials...}}`: n8n
 * evaluates that expression for every request, at about half a millisecond each.
 */
export function bearerAuthentication(tokenField: string) {
	return async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => ({
		...requestOptions,
		headers: {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials[tokenField] ?? '')}`,
		},
	});
}
