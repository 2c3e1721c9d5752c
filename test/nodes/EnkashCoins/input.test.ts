/**
 * Input: how fields are read and validated before anything is sent, then bad
 * input tried systematically (odd values arriving through expressions, odd
 * base URLs, answers the API is not documented to give). Each gives a correct
 * result or a clear error naming the field or the problem, never an unhandled
 * exception or a stack trace as the message.
 */
import { useAllocationSandbox } from '../../helpers/allocate';
import {
	ALLOCATE_FIXED,
	COMPANY_ID,
	EVENT_AMOUNT,
	REFERRAL_ITEM,
	USER_ID,
} from '../../helpers/fixtures';
import { runNode, type NodeRunResult } from '../../helpers/n8n-engine';
import { apiRequests, credentialsFor } from '../../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

const LONG_TEXT = 'x'.repeat(100 * 1024);

/** An allocation whose `field` comes from the input item's `value`. */
function allocateWith(field: 'companyId' | 'eventName' | 'userId' | 'requestId', value: unknown) {
	const parameters = { ...ALLOCATE_FIXED, [field]: '={{ $json.value }}' };
	return runNode({
		parameters: parameters as never,
		credentials: credentialsFor(sandbox(), 'accessToken'),
		items: [{ value }],
	});
}

function expectCleanError(run: NodeRunResult, message: string | RegExp) {
	expect(run.items).toBeUndefined();
	expect(run.error?.message).toEqual(
		typeof message === 'string' ? message : expect.stringMatching(message),
	);
	expect(run.error?.message).not.toMatch(/\n\s+at /);
	expect(run.error?.name).toMatch(/^Node(Operation|Api)Error$/);
}

describe('input validation', () => {
	it('rejects a blank field before sending anything, naming the field and the item', async () => {
		const { items, error } = await allocate([
			REFERRAL_ITEM,
			{ userId: 'EK6CYE6K', referralId: 'REF-2' },
			{ userId: ' ', referralId: 'REF-3' },
		]);

		expect(items).toBeUndefined();
		expect(error?.message).toBe('"User ID" is required but is empty [item 2]');
		expect(sandbox().requests).toHaveLength(0);
	});

	it('rejects an amount that is not a whole number', async () => {
		const { error } = await runNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				companyId: 'C1',
				eventName: 'E1',
				amount: '={{ 2.5 }}',
			},
			credentials: credentialsFor(sandbox(), 'accessToken'),
		});

		expect(error?.message).toBe('"Amount" must be a whole number of 0 or more, got 2.5 [item 0]');
		expect(sandbox().requests).toHaveLength(0);
	});

	it('with "On Error: Continue", outputs the invalid item as an error and sends the others', async () => {
		const { items } = await allocate(
			[
				REFERRAL_ITEM,
				{ userId: { id: 7 }, referralId: 'REF-2' },
				{ userId: 'EK6CYE6K', referralId: 'REF-3' },
			],
			{ settings: { onError: 'continueRegularOutput' } },
		);

		expect(
			items?.map(({ json, pairedItem }) => [json.allocated ?? json.error, pairedItem]),
		).toEqual([
			[true, { item: 0 }],
			['"User ID" must be text, but the expression gave an object [item 1]', { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(apiRequests(sandbox())).toHaveLength(2);
	});

	it('accepts a base URL with a trailing slash', async () => {
		const { items } = await allocate([REFERRAL_ITEM], {
			credentialOverrides: { baseUrl: `${sandbox().url}/` },
		});

		expect(items?.[0].json.allocated).toBe(true);
		expect(apiRequests(sandbox())[0].path).toBe('/api/v0/enkash-coins/allocate-coin');
	});

	it('explains a base URL that is not a URL', async () => {
		const { error } = await allocate([REFERRAL_ITEM], {
			credentialOverrides: { baseUrl: 'pay-uat.enkash.in' },
		});

		expect(error?.message).toBe(
			'The credential\'s Base URL "pay-uat.enkash.in" is not a valid http(s) URL',
		);
	});
});

describe('parameters from expressions', () => {
	it('reads plain $json paths and evaluates any other expression, per item', async () => {
		const { items } = await allocate(
			[
				{ user: { id: USER_ID }, order: 7 },
				{ user: { id: 'EK6CYE6K' }, order: 8 },
			],
			{
				parameters: {
					userId: '={{ $json.user.id }}',
					requestId: '=ORDER-{{ $json.order * 10 }}-{{ $json.user.id.toLowerCase() }}',
				},
			},
		);

		expect(items?.map(({ json }) => [json.userId, json.requestId])).toEqual([
			[USER_ID, 'ORDER-70-ekqzvmqk'],
			['EK6CYE6K', 'ORDER-80-ek6cye6k'],
		]);
		expect(
			apiRequests(sandbox()).map(({ body }) => (body as { requestId: string }).requestId),
		).toEqual(['ORDER-70-ekqzvmqk', 'ORDER-80-ek6cye6k']);
	});

	it('a plain $json path that leads nowhere is an empty field', async () => {
		const { error } = await allocate([{ user: {} }], {
			parameters: { userId: '={{ $json.user.id }}' },
		});

		expect(error?.message).toBe('"User ID" is required but is empty [item 0]');
	});
});

describe('ids and names arriving through expressions', () => {
	it.each([
		['Company ID', 'companyId', ''],
		['Event Name', 'eventName', '   '],
		['User ID', 'userId', null],
		['Request ID', 'requestId', '\t\n'],
	] as const)(
		'"%s" blank: names the field and the item, sends nothing',
		async (label, field, value) => {
			expectCleanError(
				await allocateWith(field, value),
				`"${label}" is required but is empty [item 0]`,
			);
			expect(sandbox().requests).toHaveLength(0);
		},
	);

	it.each([
		['an object', { id: USER_ID }, 'an object'],
		['a list', [USER_ID], 'a list'],
		['a boolean', true, 'a boolean'],
	])('User ID as %s: says what the expression gave', async (_label, value, described) => {
		expectCleanError(
			await allocateWith('userId', value),
			`"User ID" must be text, but the expression gave ${described} [item 0]`,
		);
		expect(sandbox().requests).toHaveLength(0);
	});

	it('a 100 kB Request ID: says it is too long', async () => {
		expectCleanError(
			await allocateWith('requestId', LONG_TEXT),
			'"Request ID" is too long (102400 characters, at most 1024) [item 0]',
		);
	});

	it.each([
		['a number', 12345, '12345'],
		['a float', 1.5, '1.5'],
		['non-ASCII text', 'उपयोगकर्ता-७', 'उपयोगकर्ता-७'],
		['text with spaces around it', '  EK6CYE6K  ', 'EK6CYE6K'],
	])('User ID as %s: is sent as text and credited', async (_label, value, sent) => {
		const run = await allocateWith('userId', value);

		expect(run.items?.[0].json).toMatchObject({ allocated: true, userId: sent });
		expect(apiRequests(sandbox())[0].body).toMatchObject({ userId: sent });
		expect(sandbox().balanceOf(sent)).toBe(EVENT_AMOUNT);
	});
});

describe('amounts arriving through expressions', () => {
	const createWithAmount = (amount: unknown) =>
		runNode({
			parameters: {
				resource: 'event',
				operation: 'create',
				companyId: COMPANY_ID,
				eventName: 'AMOUNT_TEST',
				amount: '={{ $json.amount }}',
			} as never,
			credentials: credentialsFor(sandbox(), 'accessToken'),
			items: [{ amount }],
		});

	it.each([
		[0, 0],
		[15, 15],
		['15', 15],
	])('%p is sent as %p', async (amount, sent) => {
		const run = await createWithAmount(amount);

		expect(run.items?.[0].json.amount).toBe(sent);
		expect(apiRequests(sandbox())[0].body).toMatchObject({ amount: sent });
	});

	it.each([
		[2.5, '2.5'],
		[-1, '-1'],
		['-1', '"-1"'],
		['ten', '"ten"'],
		['1e3', '"1e3"'],
		[1e21, '1e+21'],
		[{ coins: 5 }, 'an object'],
		[[5], 'a list'],
	])('%p is refused before anything is sent', async (amount, shown) => {
		expectCleanError(
			await createWithAmount(amount),
			`"Amount" must be a whole number of 0 or more, got ${shown} [item 0]`,
		);
		expect(sandbox().requests).toHaveLength(0);
	});

	it('NaN is refused', async () => {
		expectCleanError(
			await runNode({
				parameters: {
					resource: 'event',
					operation: 'create',
					companyId: COMPANY_ID,
					eventName: 'E',
					amount: '={{ NaN }}',
				} as never,
				credentials: credentialsFor(sandbox(), 'accessToken'),
			}),
			/^"Amount" must be a whole number of 0 or more, got .+ \[item 0\]$/,
		);
	});
});

describe('base URLs', () => {
	const allocateAt = (baseUrl: string) =>
		runNode({
			parameters: ALLOCATE_FIXED as never,
			credentials: credentialsFor(sandbox(), 'accessToken', { baseUrl }),
		});

	it.each([
		['without a trailing slash', (url: string) => url],
		['with a trailing slash', (url: string) => `${url}/`],
		['with several trailing slashes and spaces', (url: string) => ` ${url}// `],
	])('%s: works', async (_label, shape) => {
		const run = await allocateAt(shape(sandbox().url));

		expect(run.items?.[0].json.allocated).toBe(true);
		expect(apiRequests(sandbox())[0].path).toBe('/api/v0/enkash-coins/allocate-coin');
	});

	it('with a path: the path is kept as a prefix, and a wrong one is reported as the 404 it gets', async () => {
		const run = await allocateAt(`${sandbox().url}/gateway`);

		expect(apiRequests(sandbox())[0].path).toBe('/gateway/api/v0/enkash-coins/allocate-coin');
		expectCleanError(
			run,
			'Enkash answered HTTP 404: Not Found (POST /api/v0/enkash-coins/allocate-coin)',
		);
	});

	it.each(['pay-uat.enkash.in', 'ftp://pay-uat.enkash.in', 'http://', ''])(
		'"%s": refused, saying what to set',
		async (baseUrl) => {
			expectCleanError(
				await allocateAt(baseUrl),
				`The credential's Base URL "${baseUrl}" is not a valid http(s) URL`,
			);
		},
	);

	it('one that redirects (http:// to https://): not followed, says what to set, and credits nobody', async () => {
		const httpsAddress = 'https://pay-uat.enkash.in/api/v0/enkash-coins/allocate-coin';
		sandbox().addFault({ kind: 'custom', status: 301, headers: { Location: httpsAddress } });

		const run = await allocateAt(sandbox().url);

		expectCleanError(
			run,
			`Enkash answered HTTP 301, a redirect to ${httpsAddress}, instead of answering (POST /api/v0/enkash-coins/allocate-coin)`,
		);
		expect(run.error?.description).toMatch(/set the credential’s Base URL/);
		expect(apiRequests(sandbox())).toHaveLength(1);
		expect(sandbox().allocations()).toEqual([]);
	});

	it('a host that does not answer: says Enkash could not be reached', async () => {
		expectCleanError(
			await allocateAt('http://127.0.0.1:9'),
			'Could not reach Enkash (connection refused) for POST /api/v0/enkash-coins/allocate-coin',
		);
	});
});

describe('answers the API is not documented to give', () => {
	const getBalance = () =>
		runNode({
			parameters: { resource: 'balance', operation: 'get', userId: USER_ID } as never,
			credentials: credentialsFor(sandbox(), 'accessToken'),
		});
	const call = '(GET /api/v0/coins/balance)';

	it.each([
		[
			'an HTML page with HTTP 200',
			{
				kind: 'custom',
				contentType: 'text/html',
				body: '<html><body><h1>Maintenance</h1></body></html>',
			},
			`Enkash returned a response that is not JSON: "<html><body><h1>Maintenance</h1></body></html>" ${call}`,
		],
		['an empty body', { kind: 'empty' }, `Enkash returned an empty response ${call}`],
		[
			'truncated JSON',
			{ kind: 'malformed' },
			`Enkash returned a response that is not JSON: "{"response_code":0,"respo" ${call}`,
		],
		[
			'an envelope without response_code',
			{ kind: 'custom', body: '{"response_message":"Success","payload":5}' },
			`Enkash returned JSON without a valid response_code: "{"response_message":"Success","payload":5}" ${call}`,
		],
		[
			'a non-numeric response_code',
			{ kind: 'custom', body: '{"response_code":"OK","payload":5}' },
			`Enkash returned JSON without a valid response_code: "{"response_code":"OK","payload":5}" ${call}`,
		],
		[
			'a balance that is not a number',
			{
				kind: 'custom',
				body: '{"response_code":0,"response_message":"Success","payload":{"coins":5}}',
			},
			'Enkash returned a balance that is not a number: {"coins":5}',
		],
	] as const)('%s: a clear error', async (_label, fault, message) => {
		sandbox().addFault(fault as never);

		expectCleanError(await getBalance(), message);
	});

	it('a balance sent as a numeric string: read as the number', async () => {
		sandbox().addFault({
			kind: 'custom',
			body: '{"response_code":0,"response_message":"Success","payload":"75"}',
		});

		expect((await getBalance()).items?.[0].json).toEqual({ userId: USER_ID, balance: 75 });
	});

	it('an event payload that is not an object: a clear error', async () => {
		sandbox().addFault({
			kind: 'custom',
			body: '{"response_code":0,"response_message":"Success","payload":"created"}',
		});

		expectCleanError(
			await runNode({
				parameters: { resource: 'event', operation: 'get', coinConfigId: 'WCC100001' } as never,
				credentials: credentialsFor(sandbox(), 'accessToken'),
			}),
			'Enkash returned no event configuration: expected an object in "payload", got "created"',
		);
	});

	it('extra fields in the answer: passed through', async () => {
		sandbox().addFault({
			kind: 'custom',
			body: '{"response_code":0,"response_message":"Success","payload":{"coinConfigId":"WCC1","amount":5,"expiresInDays":90},"traceId":"t-1"}',
		});

		const run = await runNode({
			parameters: { resource: 'event', operation: 'get', coinConfigId: 'WCC1' } as never,
			credentials: credentialsFor(sandbox(), 'accessToken'),
		});

		expect(run.items?.[0].json).toEqual({ coinConfigId: 'WCC1', amount: 5, expiresInDays: 90 });
	});
});
