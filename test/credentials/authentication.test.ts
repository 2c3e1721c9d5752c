/** The two credentials at work: tokens fetched, renewed and kept, and a refused login that is never sent twice. */
import { sleep } from 'n8n-workflow';

import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import { runNode, type NodeSettings } from '../helpers/n8n-engine';
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

	it('a wrong password costs exactly one token request, even with many items and "On Error: Continue"', async () => {
		const { items } = await allocate(referralItems(8), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
			settings: { onError: 'continueRegularOutput' },
		});

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		expect(items).toHaveLength(8);
		for (const [index, item] of (items ?? []).entries()) {
			expect(item.json.error).toBe('Enkash refused the token request (HTTP 400: Bad credentials)');
			expect(item.json.description).toMatch(
				/^Check the Username and Password .* locks the account after 3 refused token requests in a row/,
			);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('a wrong password stops the node after one token request', async () => {
		const { error } = await allocate(referralItems(8), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
		});

		expect(error?.message).toBe('Enkash refused the token request (HTTP 400: Bad credentials)');
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

	it('renews an expired token once and keeps it for the next execution', async () => {
		const credentials = credentialsFor(sandbox(), 'password');
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

describe('a refused login, across executions', () => {
	const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

	/** Runs the same workflow again with the credential as n8n stored it after the previous run. */
	async function runScheduled(store: ReturnType<typeof credentialsFor>, settings?: NodeSettings) {
		return await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			items: referralItems(3),
			settings,
		});
	}

	it('is remembered in the stored credential: three executions send one token request in all', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });

		const runs = [];
		for (let execution = 0; execution < 3; execution++) runs.push(await runScheduled(store));

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		expect(runs[0].error?.message).toBe(
			'Enkash refused the token request (HTTP 400: Bad credentials)',
		);
		for (const later of runs.slice(1)) {
			expect(later.error?.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; not sent again until the credential is changed and saved, or tested twice$/,
			);
			expect(later.error?.description).toMatch(/click Test twice/);
		}
	});

	it('holds with "On Error: Continue": every item of a later execution reports it, none is sent', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		await runScheduled(store, { onError: 'continueRegularOutput' });

		const { items } = await runScheduled(store, { onError: 'continueRegularOutput' });

		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
		expect(items).toHaveLength(3);
		for (const [index, item] of (items ?? []).entries()) {
			expect(item.json.error).toMatch(
				/not sent again until the credential is changed and saved, or tested twice$/,
			);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('keeps the account usable: once the password is corrected, the next execution allocates', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		for (let execution = 0; execution < 3; execution++) await runScheduled(store);

		store[PASSWORD_CREDENTIAL] = {
			...store[PASSWORD_CREDENTIAL],
			password: sandbox().credentials.password,
		};
		const { items } = await runScheduled(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(sandbox().tokenRequestCount()).toBe(2);
		expect(store[PASSWORD_CREDENTIAL].tokenFailure).toBe('');
	});

	it.each(['clientId', 'clientSecret', 'username', 'password', 'tokenUrl'])(
		'is cleared by editing %s: the next execution asks Enkash again',
		async (field) => {
			const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
			await runScheduled(store);

			const edited = field === 'tokenUrl' ? `${sandbox().url}/oauth/token?edited` : 'edited-value';
			store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], [field]: edited };
			await runScheduled(store);

			expect(sandbox().tokenRequestCount()).toBe(2);
		},
	);

	it('does not hold back a login whose token endpoint could not be reached: after a short cool-down, the next execution tries again', async () => {
		const store = credentialsFor(sandbox(), 'password', {
			tokenUrl: 'http://127.0.0.1:9/oauth/token',
		});
		const first = await runScheduled(store);
		expect(first.error?.message).toMatch(
			/^Enkash's token endpoint could not be reached \(connection refused\); the next token request is sent after .* UTC \(in 2 s\)$/,
		);
		const failure = JSON.parse(String(store[PASSWORD_CREDENTIAL].tokenFailure));
		expect(failure).toMatchObject({ kind: 'unavailable', retryAt: expect.any(String) });

		const during = await runScheduled(store);
		expect(during.error?.message).toMatch(/^Enkash's token endpoint could not be reached/);
		// Nothing was sent during the cool-down: the record is the first execution's.
		expect(JSON.parse(String(store[PASSWORD_CREDENTIAL].tokenFailure))).toEqual(failure);
		await sleep(Date.parse(failure.retryAt) - Date.now() + 50);
		const after = await runScheduled(store);

		// The execution after the cool-down asked again, and waits twice as long after this failure.
		expect(after.error?.message).toMatch(
			/^Enkash's token endpoint could not be reached.*\(in 4 s\)$/,
		);
	});

	it('never stores a secret in the remembered refusal', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		await runScheduled(store);

		const remembered = String(store[PASSWORD_CREDENTIAL].tokenFailure);
		expect(JSON.parse(remembered)).toEqual({
			login: expect.stringMatching(/^[0-9a-f]{64}$/),
			at: expect.any(String),
			kind: 'refused',
			message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
			advice: expect.stringMatching(/^Check the Username and Password/),
		});
		for (const secret of ['wrong-password', sandbox().credentials.clientSecret]) {
			expect(remembered).not.toContain(secret);
		}
	});
});
