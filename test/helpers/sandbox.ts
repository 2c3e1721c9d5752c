import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { runNode, testCredential, type CredentialStore } from './n8n-engine';

import { CREDENTIAL_TEST_USER } from '../../credentials/common/credential-parts';

import { startSandbox } from '../../sandbox/enkash-sandbox';

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
export type AuthenticationMode = 'accessToken' | 'password';

export const AUTHENTICATION_MODES: AuthenticationMode[] = ['accessToken', 'password'];

/**
 * One sandbox for the test file, emptied before each test, closed after all.
 * Returns a getter because the sandbox starts in `beforeAll`.
 */
export function useSandbox(options: Parameters<typeof startSandbox>[0] = {}): () => Sandbox {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox(options);
	});
	beforeEach(() => sandbox?.reset());
	afterAll(async () => {
		await sandbox?.close();
	});
	return () => {
		if (!sandbox) throw new Error('The sandbox has not started');
		return sandbox;
	};
}

/** The credential store for a node using the given authentication, pointing at the sandbox. */
export function credentialsFor(
	sandbox: Sandbox,
	authentication: AuthenticationMode,
	overrides: ICredentialDataDecryptedObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	if (authentication === 'accessToken') {
		return {
			enkashCoinsApi: { baseUrl: sandbox.url, accessToken: sandbox.issueToken(), ...overrides },
		};
	}
	return {
		enkashCoinsPasswordApi: {
			sessionToken: '',
			baseUrl: sandbox.url,
			...sandbox.credentials,
			tokenUrl: '',
			...overrides,
		},
	};
}

/**
 * `run(parameters, items)`: one run of the node against the sandbox with the
 * given authentication, the `fixed` parameters overlaid by each run's own.
 */
export function runnerFor(
	sandbox: () => Sandbox,
	authentication: AuthenticationMode,
	fixed: Record<string, unknown>,
) {
	return async (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) => {
		const credentials = credentialsFor(sandbox(), authentication);
		if (authentication === 'password') await proveLogin(credentials);
		return await runNode({
			parameters: { authentication, ...fixed, ...parameters } as never,
			credentials,
			items,
		});
	};
}

/**
 * Has Enkash accept the password credential's login, as a person does by
 * saving the credential in n8n's editor, which tests it: the store then holds
 * the token and the accepted login, and workflows may send it.
 */
export async function proveLogin(credentials: CredentialStore): Promise<CredentialStore> {
	const result = await testCredential(credentials, 'enkashCoinsPasswordApi');
	if (result.status !== 'OK') throw new Error(`The credential test failed: ${result.message}`);
	return credentials;
}

/** API requests the sandbox received, without the token requests and the login checks of proveLogin. */
export function apiRequests(sandbox: Sandbox) {
	return sandbox.requests.filter(
		(request) => request.path !== '/oauth/token' && request.query.userId !== CREDENTIAL_TEST_USER,
	);
}
