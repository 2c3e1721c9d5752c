/** The two credentials at work: tokens fetched, renewed and kept, and a refused login that is never sent twice. */
import { sleep } from 'n8n-workflow';

import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import { runNode, testCredential, type NodeSettings } from '../helpers/n8n-engine';
import { apiRequests, credentialsFor, proveLogin } from '../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

describe('authentication', () => {
	it('fetches one token with the password grant, form-encoded with Basic client authentication', async () => {
		const { items } = await allocate(referralItems(6), { authentication: 'password' });

		expect(items).toHaveLength(6);
		const tokenRequests = sandbox().requests.filter(({ path }) => path === '/oauth/token');
		const { clientId, clientSecret, username, password } = sandbox().credentials;
		expect(tokenRequests).toEqual([
			expect.objectContaining({
				method: 'POST',
				headers: expect.objectContaining({
					authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
					'content-type': 'application/x-www-form-urlencoded',
				}),
				body: { username, password, grant_type: 'password', clientId },
			}),
		]);
	});

	it('uses the Token URL when one is given', async () => {
		const { items } = await allocate(referralItems(1), {
			authentication: 'password',
			credentialOverrides: { tokenUrl: `${sandbox().url}/oauth/token?via=token-url` },
		});

		expect(items?.[0].json.allocated).toBe(true);
		expect(sandbox().requests.filter(({ path }) => path === '/oauth/token')).toEqual([
			expect.objectContaining({ query: { via: 'token-url' } }),
		]);
	});

	it('a wrong password costs exactly one token request, its test on Save: an execution with many items and "On Error: Continue" sends nothing more', async () => {
		const { items } = await allocate(referralItems(8), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
			settings: { onError: 'continueRegularOutput' },
		});

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		expect(items).toHaveLength(8);
		for (const [index, item] of (items ?? []).entries()) {
			expect(item.json.error).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* UTC\. Values Enkash refused are never sent again.* Correct the Username or Password in the credential and Save\./,
			);
			expect(item.json.description).toMatch(/^Nothing was sent to Enkash\./);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('a wrong password stops the node without another token request', async () => {
		const { error } = await allocate(referralItems(8), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
		});

		expect(error?.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\)/,
		);
		expect(sandbox().tokenRequestCount()).toBe(1);
	});

	it("a wrong password costs one token request with n8n's Retry On Fail too", async () => {
		const { error } = await allocate(referralItems(4), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});

		expect(error?.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\)/,
		);
		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
	});

	it('renews a token Enkash no longer accepts once, before sending, and keeps it for the next execution', async () => {
		const credentials = await proveLogin(credentialsFor(sandbox(), 'password'));
		const first = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials,
			items: referralItems(3),
		});
		const storedToken = first.credentialsHelper.store.enkashCoinsPasswordApi.sessionToken;
		expect(storedToken).toMatch(/^[0-9a-f]+$/);

		sandbox().expireAllTokens();
		const second = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: first.credentialsHelper.store,
			items: referralItems(6),
		});

		expect(second.items?.every(({ json }) => json.allocated === true)).toBe(true);
		expect(sandbox().tokenRequestCount()).toBe(2);
		expect(second.credentialsHelper.store.enkashCoinsPasswordApi.sessionToken).not.toBe(
			storedToken,
		);
		expect(sandbox().balanceOf('EKUSER5')).toBe(50);
	});

	it('never sends a token Enkash issued before the credential was edited: it asks for one with the new values', async () => {
		const credentials = await proveLogin(credentialsFor(sandbox(), 'password'));
		const tokenOfOldValues = credentials.enkashCoinsPasswordApi.sessionToken;
		sandbox().changePassword('changed-by-the-administrator');
		credentials.enkashCoinsPasswordApi = {
			...credentials.enkashCoinsPasswordApi,
			password: 'changed-by-the-administrator',
		};
		await proveLogin(credentials);

		const { items } = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials,
			items: referralItems(2),
		});

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true]);
		expect(sandbox().tokenRequestCount()).toBe(2);
		expect(
			apiRequests(sandbox()).map(({ headers }) =>
				headers.authorization?.includes(String(tokenOfOldValues)),
			),
		).toEqual([false, false]);
	});

	it('an expired pasted token fails with advice, and the token never appears in the error', async () => {
		const credentials = credentialsFor(sandbox(), 'accessToken');
		const token = credentials.enkashCoinsApi.accessToken as string;
		sandbox().expireAllTokens();

		const { error } = await runNode({
			parameters: { ...ALLOCATE_FROM_INPUT } as never,
			credentials,
			items: referralItems(1),
		});

		expect(error?.message).toBe(
			'Enkash answered HTTP 401: Invalid access token: [redacted] (POST /api/v0/enkash-coins/allocate-coin)',
		);
		expect(error?.description).toMatch(/Enkash Coins Password API credential/);
		expect(JSON.stringify(error)).not.toContain(token);
	});
});

describe('the Access Token credential’s test', () => {
	const ACCESS_TOKEN_CREDENTIAL = 'enkashCoinsApi';

	it('passes when Enkash answers with its envelope', async () => {
		const store = credentialsFor(sandbox(), 'accessToken');

		expect(await testCredential(store, ACCESS_TOKEN_CREDENTIAL)).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
	});

	it.each([
		['a web page', { kind: 'custom', contentType: 'text/html', body: '<html>Welcome</html>' }],
		['JSON of another service', { kind: 'custom', body: '{"status":"UP"}' }],
	])('fails when the Base URL answers with %s, naming the Base URL', async (_, fault) => {
		const store = credentialsFor(sandbox(), 'accessToken');
		sandbox().addFault(fault as never);

		expect(await testCredential(store, ACCESS_TOKEN_CREDENTIAL)).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^The Base URL answered, but not as Enkash’s API does .* Correct the Base URL and Save\.$/,
			),
		});
	});

	it('fails with a refused token, whose answer has no envelope either', async () => {
		const store = credentialsFor(sandbox(), 'accessToken');
		sandbox().expireAllTokens();

		expect(await testCredential(store, ACCESS_TOKEN_CREDENTIAL)).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Enkash did not accept the token \(invalid_token\)/),
		});
	});
});

describe('a refused login, across executions', () => {
	const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

	/** Runs the same workflow again with the credential as n8n stored it after the previous run. */
	async function runScheduled(store: ReturnType<typeof credentialsFor>, settings?: NodeSettings) {
		return await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			items: referralItems(3),
			settings,
			mode: 'trigger',
		});
	}

	/** The credential saved with a wrong password in n8n's editor, which tests it: refused once. */
	async function refusedOnSave() {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		expect((await testCredential(store, PASSWORD_CREDENTIAL)).status).toBe('Error');
		return store;
	}

	it('is stored in the credential: three executions after it send no token request', async () => {
		const store = await refusedOnSave();

		const runs = [];
		for (let execution = 0; execution < 3; execution++) runs.push(await runScheduled(store));

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		for (const run of runs) {
			expect(run.error?.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\. Values Enkash refused are never sent again/,
			);
			expect(run.error?.description).toMatch(/Login Attempt/);
		}
	});

	it('holds with "On Error: Continue": every item reports it, none is sent', async () => {
		const store = await refusedOnSave();

		const { items } = await runScheduled(store, { onError: 'continueRegularOutput' });

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		expect(
			items?.map(({ json, pairedItem }) => [String(json.error).slice(0, 32), pairedItem]),
		).toEqual([0, 1, 2].map((item) => ['Enkash refused the token request', { item }]));
	});

	it('keeps the account usable: once the password is corrected and saved, the next execution allocates', async () => {
		const store = await refusedOnSave();
		store[PASSWORD_CREDENTIAL] = {
			...store[PASSWORD_CREDENTIAL],
			password: sandbox().credentials.password,
		};
		expect(await testCredential(store, PASSWORD_CREDENTIAL)).toMatchObject({ status: 'OK' });

		const { items } = await runScheduled(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(sandbox().tokenRequestCount()).toBe(2);
	});

	it.each(['clientId', 'clientSecret', 'username', 'password', 'tokenUrl', 'loginAttempt'])(
		'is a new login once %s is edited: an execution sends nothing until it is saved, and its Save sends one token request',
		async (field) => {
			const store = await refusedOnSave();
			const edited =
				field === 'tokenUrl'
					? `${sandbox().url}/oauth/token?edited`
					: field === 'loginAttempt'
						? 2
						: 'edited-value';
			store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], [field]: edited };

			const unsaved = await runScheduled(store);
			expect(unsaved.error?.message).toMatch(/^Enkash has not accepted this login yet/);
			expect(sandbox().tokenRequestCount()).toBe(1);
			await testCredential(store, PASSWORD_CREDENTIAL);
			expect(sandbox().tokenRequestCount()).toBe(2);
		},
	);

	it('does not hold back a login whose token endpoint could not be reached: after a short cool-down, the next execution tries again', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		sandbox().addFault({ kind: 'status', status: 503, match: { path: '/oauth/token' }, times: 2 });

		const first = await runScheduled(store);
		expect(first.error?.message).toMatch(
			/^Enkash's token endpoint failed \(HTTP 503.*\); the next token request is sent after .* UTC \(in 2 s\)/,
		);
		const during = await runScheduled(store);
		expect(during.error?.message).toMatch(/^Enkash's token endpoint failed/);
		expect(sandbox().tokenRequestCount()).toBe(2);
		await sleep(2100);
		const after = await runScheduled(store);

		// The execution after the cool-down asked again, and waits twice as long after this failure.
		expect(after.error?.message).toMatch(/^Enkash's token endpoint failed.*\(in 4 s\)/);
		expect(sandbox().tokenRequestCount()).toBe(3);
	});

	it('stores no secret: the record holds one-way fingerprints of the logins', async () => {
		const store = await refusedOnSave();

		const record = String(store[PASSWORD_CREDENTIAL].loginState);
		expect(JSON.parse(record)).toMatchObject({
			credential: expect.any(String),
			accepted: [],
			refused: [
				{
					login: expect.stringMatching(/^[0-9a-f]{64}$/),
					kind: 'refused',
					message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
					inARow: 1,
				},
			],
		});
		for (const secret of ['wrong-password', sandbox().credentials.clientSecret]) {
			expect(record).not.toContain(secret);
		}
	});
});
