import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { runNode, type CredentialStore } from './n8n-engine';

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
	return (parameters: Record<string, unknown>, items?: Array<Record<string, unknown>>) =>
		runNode({
			parameters: { authentication, ...fixed, ...parameters } as never,
			credentials: credentialsFor(sandbox(), authentication),
			items,
		});
}

/**
 * Has Enkash accept the password credential's login before anything runs
 * unattended, as a person does with the credential's Test button or one manual
 * run: here a manual run reading the balance the Test button reads. The store
 * then holds the token and the accepted login.
 */
export async function proveLogin(credentials: CredentialStore): Promise<CredentialStore> {
	const { error } = await runNode({
		parameters: {
			authentication: 'password',
			resource: 'balance',
			operation: 'get',
			userId: CREDENTIAL_TEST_USER,
		},
		credentials,
		mode: 'manual',
	});
	if (error) throw error;
	return credentials;
}

/** API requests the sandbox received, without the token requests and the login checks of proveLogin. */
export function apiRequests(sandbox: Sandbox) {
	return sandbox.requests.filter(
		(request) => request.path !== '/oauth/token' && request.query.userId !== CREDENTIAL_TEST_USER,
	);
}
