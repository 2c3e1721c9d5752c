import type { INodeProperties } from 'n8n-workflow';

import { EnkashCoins } from '../../../nodes/EnkashCoins/EnkashCoins.node';
import { ALLOCATE_FROM_INPUT, COMPANY_ID, EVENT_AMOUNT, EVENT_NAME, referralItems } from '../../helpers/fixtures';
import { runNode, type NodeSettings } from '../../helpers/n8n-engine';
import { apiRequests, credentialsFor, useSandbox, type AuthenticationMode } from '../../helpers/sandbox';

const sandbox = useSandbox();

function allocate(
	items: Array<Record<string, unknown>>,
	{
		authentication = 'accessToken',
		parameters = {},
		settings,
		credentialOverrides,
	}: {
		authentication?: AuthenticationMode;
		parameters?: Record<string, unknown>;
		settings?: NodeSettings;
		credentialOverrides?: Record<string, string>;
	} = {},
) {
	return runNode({
		parameters: { authentication, ...ALLOCATE_FROM_INPUT, ...parameters } as never,
		credentials: credentialsFor(sandbox(), authentication, credentialOverrides),
		items,
		settings,
	});
}

beforeEach(() => {
	sandbox().createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: EVENT_AMOUNT });
});

describe('the node description (the workflow contract)', () => {
	const { description } = new EnkashCoins();
	const property = (name: string, resource?: string) =>
		description.properties.filter(
			(candidate) =>
				candidate.name === name &&
				(resource === undefined || candidate.displayOptions?.show?.resource?.includes(resource)),
		);
	const values = (candidate: INodeProperties | undefined) =>
		(candidate?.options as Array<{ value: string }>).map(({ value }) => value);
	const fieldsOf = (resource: string, operation: string) =>
		description.properties
			.filter(
				(candidate) =>
					candidate.displayOptions?.show?.resource?.includes(resource) &&
					candidate.displayOptions?.show?.operation?.includes(operation),
			)
			.map(({ name }) => name);

	it('is the Enkash Coins node, usable by AI agents', () => {
		expect(description).toMatchObject({ name: 'enkashCoins', displayName: 'Enkash Coins', version: 1, usableAsTool: true });
	});

	it('offers the two credential types by authentication', () => {
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: 'enkashCoinsApi', displayOptions: { show: { authentication: ['accessToken'] } } }),
			expect.objectContaining({ name: 'enkashCoinsPasswordApi', displayOptions: { show: { authentication: ['password'] } } }),
		]);
		expect(property('authentication')[0]).toMatchObject({ default: 'accessToken' });
		expect(values(property('authentication')[0])).toEqual(['accessToken', 'password']);
	});

	it('has the contract’s resources and operations', () => {
		expect(values(property('resource')[0])).toEqual(['allocation', 'balance', 'event']);
		expect(values(property('operation', 'event')[0])).toEqual(['create', 'get', 'update']);
		expect(values(property('operation', 'allocation')[0])).toEqual(['allocate']);
		expect(values(property('operation', 'balance')[0])).toEqual(['get']);
	});

	it('keeps the defaults saved workflows rely on (n8n leaves defaults out of the saved JSON)', () => {
		expect(property('resource')[0].default).toBe('allocation');
		expect(property('operation', 'event')[0].default).toBe('create');
		expect(property('operation', 'allocation')[0].default).toBe('allocate');
		expect(property('operation', 'balance')[0].default).toBe('get');
	});

	it('gives every operation an action for the node panel and AI tools', () => {
		for (const selector of property('operation')) {
			for (const option of selector.options as Array<{ action?: string }>) expect(option.action).toBeTruthy();
		}
	});

	it('has the contract’s fields for each operation', () => {
		expect(fieldsOf('event', 'create')).toEqual(['companyId', 'eventName', 'amount', 'configuration']);
		expect(fieldsOf('event', 'get')).toEqual(['coinConfigId']);
		expect(fieldsOf('event', 'update')).toEqual(['coinConfigId', 'updateFields']);
		expect(fieldsOf('allocation', 'allocate')).toEqual(['companyId', 'eventName', 'userId', 'requestId']);
		expect(fieldsOf('balance', 'get')).toEqual(['userId']);
		const updateFields = description.properties.find(({ name }) => name === 'updateFields');
		expect((updateFields?.options as INodeProperties[]).map(({ name }) => name)).toEqual([
			'amount',
			'companyId',
			'configuration',
			'eventName',
		]);
	});

	it('has the options fullResponse (off) and maxConcurrency (5) for every operation', () => {
		const options = property('options')[0];
		expect(options.displayOptions).toBeUndefined();
		expect(options.options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'fullResponse', type: 'boolean', default: false }),
				expect.objectContaining({ name: 'maxConcurrency', type: 'number', default: 5 }),
			]),
		);
	});
});

describe('input validation', () => {
	it('rejects a blank field before sending anything, naming the field and the item', async () => {
		const { items, error } = await allocate([
			{ userId: 'EKQZVMQK', referralId: 'REF-1' },
			{ userId: 'EK6CYE6K', referralId: 'REF-2' },
			{ userId: ' ', referralId: 'REF-3' },
		]);

		expect(items).toBeUndefined();
		expect(error?.message).toBe('"User ID" is required but is empty [item 2]');
		expect(sandbox().requests).toHaveLength(0);
	});

	it('rejects an amount that is not a whole number', async () => {
		const { error } = await runNode({
			parameters: { resource: 'event', operation: 'create', companyId: 'C1', eventName: 'E1', amount: '={{ 2.5 }}' },
			credentials: credentialsFor(sandbox(), 'accessToken'),
		});

		expect(error?.message).toBe('"Amount" must be a whole number of 0 or more, got 2.5 [item 0]');
		expect(sandbox().requests).toHaveLength(0);
	});

	it('with "On Error: Continue", outputs the invalid item as an error and sends the others', async () => {
		const { items } = await allocate(
			[
				{ userId: 'EKQZVMQK', referralId: 'REF-1' },
				{ userId: { id: 7 }, referralId: 'REF-2' },
				{ userId: 'EK6CYE6K', referralId: 'REF-3' },
			],
			{ settings: { onError: 'continueRegularOutput' } },
		);

		expect(items?.map(({ json, pairedItem }) => [json.allocated ?? json.error, pairedItem])).toEqual([
			[true, { item: 0 }],
			['"User ID" must be text, but the expression gave an object [item 1]', { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(apiRequests(sandbox())).toHaveLength(2);
	});

	it('accepts a base URL with a trailing slash', async () => {
		const { items } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }], {
			credentialOverrides: { baseUrl: `${sandbox().url}/` },
		});

		expect(items?.[0].json.allocated).toBe(true);
		expect(apiRequests(sandbox())[0].path).toBe('/api/v0/enkash-coins/allocate-coin');
	});

	it('explains a base URL that is not a URL', async () => {
		const { error } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }], {
			credentialOverrides: { baseUrl: 'pay-uat.enkash.in' },
		});

		expect(error?.message).toBe('The credential\'s Base URL "pay-uat.enkash.in" is not a valid http(s) URL');
	});
});

describe('parameters from expressions', () => {
	it('reads plain $json paths and evaluates any other expression, per item', async () => {
		const { items } = await allocate(
			[
				{ user: { id: 'EKQZVMQK' }, order: 7 },
				{ user: { id: 'EK6CYE6K' }, order: 8 },
			],
			{ parameters: { userId: '={{ $json.user.id }}', requestId: '=ORDER-{{ $json.order * 10 }}-{{ $json.user.id.toLowerCase() }}' } },
		);

		expect(items?.map(({ json }) => [json.userId, json.requestId])).toEqual([
			['EKQZVMQK', 'ORDER-70-ekqzvmqk'],
			['EK6CYE6K', 'ORDER-80-ek6cye6k'],
		]);
		expect(apiRequests(sandbox()).map(({ body }) => (body as { requestId: string }).requestId)).toEqual([
			'ORDER-70-ekqzvmqk',
			'ORDER-80-ek6cye6k',
		]);
	});

	it('a plain $json path that leads nowhere is an empty field', async () => {
		const { error } = await allocate([{ user: {} }], { parameters: { userId: '={{ $json.user.id }}' } });

		expect(error?.message).toBe('"User ID" is required but is empty [item 0]');
	});
});

describe('"On Error: Continue"', () => {
	it('outputs the failed item as an error paired to its input; the others are credited', async () => {
		sandbox().addFault({ kind: 'envelopeFailure', message: 'User is blocked', match: { body: { userId: 'EKUSER2' } } });

		const { items, error } = await allocate(referralItems(4), { settings: { onError: 'continueRegularOutput' } });

		expect(error).toBeUndefined();
		expect(items?.map(({ json, pairedItem }) => [json.allocated ?? json.error, pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
			['Enkash rejected the request: User is blocked (POST /api/v0/enkash-coins/allocate-coin)', { item: 2 }],
			[true, { item: 3 }],
		]);
		expect(['EKUSER0', 'EKUSER1', 'EKUSER2', 'EKUSER3'].map((user) => sandbox().balanceOf(user))).toEqual([50, 50, 0, 50]);
	});

	it('without it, the first failure stops the node with the API message', async () => {
		sandbox().addFault({ kind: 'envelopeFailure', message: 'User is blocked', match: { body: { userId: 'EKUSER0' } } });

		const { items, error } = await allocate(referralItems(3));

		expect(items).toBeUndefined();
		expect(error?.message).toBe('Enkash rejected the request: User is blocked (POST /api/v0/enkash-coins/allocate-coin)');
	});
});

describe('concurrency', () => {
	it('keeps output order and pairing when responses arrive out of order', async () => {
		sandbox().addFault({ kind: 'latency', delayMs: 150, match: { body: { userId: 'EKUSER1' } } });

		const { items } = await allocate(referralItems(6), { parameters: { options: { maxConcurrency: 5 } } });

		expect(items?.map(({ json, pairedItem }) => [json.userId, pairedItem])).toEqual(
			referralItems(6).map(({ userId }, index) => [userId, { item: index }]),
		);
		const arrival = apiRequests(sandbox()).map(({ body }) => (body as { userId: string }).userId);
		expect(arrival).toHaveLength(6);
	});

	/** The most requests that arrived within one latency window, i.e. were in flight together. */
	function peakInFlight(latencyMs: number) {
		const arrivals = apiRequests(sandbox()).map(({ at }) => at);
		return Math.max(...arrivals.map((start) => arrivals.filter((at) => at >= start && at < start + latencyMs - 20).length));
	}

	it.each([1, 3])('has at most %i requests in flight with Max Concurrent Requests %i', async (limit) => {
		sandbox().addFault({ kind: 'latency', delayMs: 120 });

		const { items } = await allocate(referralItems(7), { parameters: { options: { maxConcurrency: limit } } });

		expect(items).toHaveLength(7);
		expect(peakInFlight(120)).toBe(limit);
	});
});

describe('retries', () => {
	const requestIdsSent = () => apiRequests(sandbox()).map(({ body }) => (body as { requestId: string }).requestId);

	it.each([429, 502, 503, 504])('retries HTTP %i with the same requestId and credits once', async (status) => {
		sandbox().addFault({ kind: 'status', status, times: 2 });

		const { items } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(items?.[0].json.allocated).toBe(true);
		expect(requestIdsSent()).toEqual(['REF-1', 'REF-1', 'REF-1']);
		expect(sandbox().balanceOf('EKQZVMQK')).toBe(50);
	});

	it('waits as long as Retry-After asks', async () => {
		sandbox().addFault({ kind: 'status', status: 429, retryAfter: 1, times: 1 });

		await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		const [first, second] = apiRequests(sandbox());
		expect(second.at - first.at).toBeGreaterThanOrEqual(950);
	});

	it('does not credit twice when the answer to an applied allocation is lost', async () => {
		sandbox().addFault({ kind: 'reset', afterProcessing: true, times: 1 });

		const { items } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(items?.[0].json.allocated).toBe(true);
		expect(requestIdsSent()).toEqual(['REF-1', 'REF-1']);
		expect(sandbox().balanceOf('EKQZVMQK')).toBe(50);
	});

	it('retries a request that stalls past the timeout', async () => {
		sandbox().addFault({ kind: 'stall', afterProcessing: true, times: 1 });

		const { items } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }], {
			parameters: { options: { timeout: 1000 } },
		});

		expect(items?.[0].json.allocated).toBe(true);
		expect(requestIdsSent()).toEqual(['REF-1', 'REF-1']);
		expect(sandbox().balanceOf('EKQZVMQK')).toBe(50);
	});

	it('gives up after three retries and says what happened', async () => {
		sandbox().addFault({ kind: 'status', status: 503, message: 'Down for maintenance' });

		const { error } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(requestIdsSent()).toHaveLength(4);
		expect(error?.message).toBe(
			'Enkash answered HTTP 503: Down for maintenance (POST /api/v0/enkash-coins/allocate-coin)',
		);
	});

	it.each([400, 422, 500])('never retries HTTP %i', async (status) => {
		sandbox().addFault({ kind: 'status', status, message: 'Rejected', times: 1 });

		const { error } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(requestIdsSent()).toHaveLength(1);
		expect(error?.message).toBe(`Enkash answered HTTP ${status}: Rejected (POST /api/v0/enkash-coins/allocate-coin)`);
	});

	it('fails clearly on a body that is not the JSON envelope, without retrying', async () => {
		sandbox().addFault({ kind: 'malformed', times: 1 });

		const { error } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(error?.message).toBe(
			'Enkash returned a response that is not JSON: "{"response_code":0,"respo" (POST /api/v0/enkash-coins/allocate-coin)',
		);
		expect(requestIdsSent()).toHaveLength(1);
	});

	it('retries an HTML error page from a gateway, then names the status', async () => {
		sandbox().addFault({ kind: 'html' });

		const { error } = await allocate([{ userId: 'EKQZVMQK', referralId: 'REF-1' }]);

		expect(error?.message).toBe('Enkash answered HTTP 502 (POST /api/v0/enkash-coins/allocate-coin)');
		expect(requestIdsSent()).toHaveLength(4);
	});
});

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
			expect(item.json.description).toMatch(/locks the account after 3 failed token requests/);
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

	it('a wrong password costs one token request with n8n\'s Retry On Fail too', async () => {
		const { error } = await allocate(referralItems(4), {
			authentication: 'password',
			credentialOverrides: { password: 'wrong-password' },
			settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
		});

		expect(error?.message).toMatch(/^Enkash refused the token request \(HTTP 400: Bad credentials\)/);
		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toHaveLength(0);
	});

	it('renews an expired token once and keeps it for the next execution', async () => {
		const credentials = credentialsFor(sandbox(), 'password');
		const first = await runNode({ parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never, credentials, items: referralItems(3) });
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
		expect(second.credentialsHelper.store.enkashCoinsPasswordApi.sessionToken).not.toBe(storedToken);
		expect(sandbox().balanceOf('EKUSER5')).toBe(50);
	});

	it('an expired pasted token fails with advice, and the token never appears in the error', async () => {
		const credentials = credentialsFor(sandbox(), 'accessToken');
		const token = credentials.enkashCoinsApi.accessToken as string;
		sandbox().expireAllTokens();

		const { error } = await runNode({ parameters: { ...ALLOCATE_FROM_INPUT } as never, credentials, items: referralItems(1) });

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
		expect(runs[0].error?.message).toBe('Enkash refused the token request (HTTP 400: Bad credentials)');
		for (const later of runs.slice(1)) {
			expect(later.error?.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; not sent again until the credential is edited$/,
			);
			expect(later.error?.description).toMatch(/not sent again until the credential is edited/);
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
			expect(item.json.error).toMatch(/not sent again until the credential is edited$/);
			expect(item.pairedItem).toEqual({ item: index });
		}
	});

	it('keeps the account usable: once the password is corrected, the next execution allocates', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		for (let execution = 0; execution < 3; execution++) await runScheduled(store);

		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], password: sandbox().credentials.password };
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

	it('does not remember a token endpoint that could not be reached: the next execution tries again', async () => {
		const store = credentialsFor(sandbox(), 'password', { tokenUrl: 'http://127.0.0.1:9/oauth/token' });
		const first = await runScheduled(store);
		expect(first.error?.message).toMatch(/^Enkash refused the token request \(the token endpoint could not be reached/);

		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], tokenUrl: '' };
		// The same login as before the outage: nothing to edit, and nothing refused it.
		const { items } = await runScheduled(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
	});

	it('never stores a secret in the remembered refusal', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		await runScheduled(store);

		const remembered = String(store[PASSWORD_CREDENTIAL].tokenFailure);
		expect(JSON.parse(remembered)).toEqual({
			login: expect.stringMatching(/^[0-9a-f]{64}$/),
			at: expect.any(String),
			message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
			refused: true,
		});
		for (const secret of ['wrong-password', sandbox().credentials.clientSecret]) {
			expect(remembered).not.toContain(secret);
		}
	});
});
