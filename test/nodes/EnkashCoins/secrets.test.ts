/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * Secrets never leave the credential: every failure path is run, and every
 * output item, error message and description, the whole execution data n8n
 * would store, and every line n8n logged (at debug level) are searched
 * for the token, the password and the client secret, raw and in Base64.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	ALLOCATE_FROM_INPUT,
	COMPANY_ID,
	EVENT_AMOUNT,
	EVENT_NAME,
	referralItems,
} from '../../helpers/fixtures';
import { runNode, testCredential, type NodeRunResult } from '../../helpers/n8n-engine';
import {
	credentialsFor,
	useSandbox,
	type AuthenticationMode,
	type Sandbox,
} from '../../helpers/sandbox';

// Before n8n's logger is first created by a run: log everything, to a file, to search it.
const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'enkash-secrets-')), 'n8n.log');
process.env.N8N_LOG_LEVEL = 'debug';
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_FILE_LOCATION = logFile;

const sandbox = useSandbox();

/** What n8n has logged so far. */
function loggedText(): string {
	return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
}

/**
 * What n8n has logged since `start`, once it matches `expected` or after 5 s:
 * n8n's file logger writes asynchronously, later under load.
 */
async function loggedSince(start: number, expected: RegExp): Promise<string> {
	const deadline = Date.now() + 5000;
	while (!expected.test(loggedText().slice(start)) && Date.now() < deadline) await sleep(100);
	return loggedText().slice(start);
}

afterAll(() => fs.rmSync(path.dirname(logFile), { recursive: true, force: true }));

beforeEach(() => {
	sandbox().createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: EVENT_AMOUNT });
});

function secretForms(credentials: ICredentialDataDecryptedObject): string[] {
	const values = ['accessToken', 'sessionToken', 'password', 'clientSecret']
		.map((field) => credentials[field])
		.filter((value): value is string => typeof value === 'string' && value.length > 0);
	const forms = values.flatMap((value) => [value, Buffer.from(value).toString('base64')]);
	if (credentials.clientSecret) {
		forms.push(
			Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64'),
		);
	}
	return forms;
}

interface FailurePath {
	name: string;
	authentication: AuthenticationMode;
	setUp?: (sandbox: Sandbox) => void;
	credentialOverrides?: ICredentialDataDecryptedObject;
	parameters?: Record<string, unknown>;
	/** What the failure must still say, so the path really failed the way it is named. */
	says: RegExp;
}

const echo = (status: number, contentType = 'application/json') => ({
	kind: 'custom' as const,
	status,
	contentType,
	body:
		contentType === 'application/json'
			? '{"response_code":1,"response_message":"Token {{bearer}} is not allowed here","payload":"{{bearer}}"}'
			: '<html><body>Unauthorized token {{bearer}}</body></html>',
});

// A table: one failure path a line where it fits.
// prettier-ignore
const failurePaths: FailurePath[] = [
	{
		name: 'an expired pasted token, which Enkash echoes in its 401',
		authentication: 'accessToken',
		setUp: (api) => api.expireAllTokens(),
		says: /HTTP 401: Invalid access token: \[redacted\]/,
	},
	{ name: 'a failure envelope echoing the token', authentication: 'accessToken', setUp: (api) => api.addFault(echo(200)), says: /Token \[redacted\] is not allowed/ },
	{ name: 'a 403 echoing the token', authentication: 'accessToken', setUp: (api) => api.addFault(echo(403)), says: /HTTP 403/ },
	{ name: 'an HTML 500 echoing the token', authentication: 'accessToken', setUp: (api) => api.addFault(echo(500, 'text/html')), says: /HTTP 500/ },
	{
		name: 'a failure envelope echoing the fetched session token',
		authentication: 'password',
		setUp: (api) => api.addFault({ ...echo(200), match: { path: '/api/v0/enkash-coins/allocate-coin' } }),
		says: /Token \[redacted\] is not allowed/,
	},
	{ name: 'a wrong password', authentication: 'password', credentialOverrides: { password: 'wrong-password' }, says: /Bad credentials/ },
	{ name: 'a wrong client secret', authentication: 'password', credentialOverrides: { clientSecret: 'wrong-client-secret' }, says: /Bad client credentials/ },
	{
		name: 'a token endpoint that echoes the password and client secret',
		authentication: 'password',
		setUp: (api) =>
			api.addFault({
				kind: 'custom',
				status: 400,
				match: { path: '/oauth/token' },
				body: JSON.stringify({
					error: 'invalid_grant',
					error_description: `Bad credentials for ${api.credentials.username}:${api.credentials.password} via ${api.credentials.clientSecret} (Basic ${Buffer.from(`${api.credentials.clientId}:${api.credentials.clientSecret}`).toString('base64')})`,
				}),
			}),
		says: /Bad credentials for loyalty-admin@example.com:\[redacted\] via \[redacted\] \(Basic \[redacted\]\)/,
	},
	{ name: 'a stalled request', authentication: 'password', setUp: (api) => api.addFault({ kind: 'stall', match: { path: '/api/v0/enkash-coins/allocate-coin' } }), parameters: { options: { timeout: 1000 } }, says: /no answer before the timeout/ },
	{ name: 'an unreachable host', authentication: 'accessToken', credentialOverrides: { baseUrl: 'http://127.0.0.1:9' }, says: /connection refused/ },
	{ name: 'invalid input', authentication: 'password', parameters: { userId: '={{ $json.nothing }}' }, says: /"User ID" is required/ },
];

describe.each(['stop', 'continue'] as const)('with On Error: %s', (onError) => {
	it.each(failurePaths.map((path) => [path.name, path] as const))(
		'%s leaks no secret',
		async (_name, path) => {
			const credentials = credentialsFor(sandbox(), path.authentication, path.credentialOverrides);
			path.setUp?.(sandbox());
			// Saved in n8n's editor first, which tests a password credential.
			if (path.authentication === 'password')
				await testCredential(credentials, 'enkashCoinsPasswordApi');
			const [stored] = Object.values(credentials);
			const logStart = loggedText().length;

			const run: NodeRunResult = await runNode({
				parameters: {
					authentication: path.authentication,
					...ALLOCATE_FROM_INPUT,
					...path.parameters,
				} as never,
				credentials,
				items: referralItems(2),
				settings: onError === 'continue' ? { onError: 'continueRegularOutput' } : undefined,
			});

			const said =
				onError === 'continue' ? String(run.items?.[0].json.error) : String(run.error?.message);
			expect(said).toMatch(path.says);
			const secrets = [
				...secretForms(stored),
				...secretForms(run.credentialsHelper.store[Object.keys(credentials)[0]]),
			];
			expect(secrets.length).toBeGreaterThan(0);
			const everything = [
				JSON.stringify(run.items ?? []),
				run.error?.message ?? '',
				String(run.error?.description ?? ''),
				JSON.stringify(run.error ?? {}),
				JSON.stringify(run.run),
				await loggedSince(logStart, /Enkash Coins/),
			].join('\n');
			for (const secret of secrets) expect(everything).not.toContain(secret);
		},
	);
});

it('n8n logs the node’s run at debug level, so the log searched above is not empty', async () => {
	const logStart = loggedText().length;

	const run = await runNode({
		parameters: { authentication: 'accessToken', ...ALLOCATE_FROM_INPUT } as never,
		credentials: credentialsFor(sandbox(), 'accessToken'),
		items: referralItems(1),
	});

	expect(run.error).toBeUndefined();
	expect(await loggedSince(logStart, /Enkash Coins/)).toMatch(/Enkash Coins/);
});
