import * as http from 'node:http';

import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/enkash-sandbox';

const CREATE = '/api/v0/enkash-coins/create-coins-config';
const ALLOCATE = '/api/v0/enkash-coins/allocate-coin';
const BALANCE = '/api/v0/coins/balance';
const eventPath = (coinConfigId: string) => `/api/v0/enkash-coins/${coinConfigId}`;

const REFERRAL = { companyId: 'CEK0TCW2W8', event: 'REFERRAL_EVENT' };
const ALLOCATION = { ...REFERRAL, requestId: 'COIN_REQ1234567', userId: 'EKQZVMQK' };

interface Call {
	method?: string;
	body?: unknown;
	/** a bearer token; null sends no Authorization header */
	token?: string | null;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(() => sandbox.close());

beforeEach(() => {
	sandbox.reset();
	token = sandbox.issueToken();
});

async function call(path: string, options: Call = {}, target: Sandbox = sandbox): Promise<Answer> {
	const headers: Record<string, string> = { ...options.headers };
	const bearer = options.token === undefined ? token : options.token;
	if (bearer !== null) headers.Authorization ??= `Bearer ${bearer}`;
	let body: string | undefined;
	if (options.body !== undefined) {
		body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
		headers['Content-Type'] ??= 'application/json';
	}
	const response = await fetch(target.url + path, {
		method: options.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		body,
		signal: options.signal,
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

function basic(clientId: string, clientSecret: string) {
	return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

async function requestToken(form: Record<string, string>, authorization?: string): Promise<Answer> {
	const { clientId, clientSecret } = sandbox.credentials;
	return call('/oauth/token', {
		method: 'POST',
		token: null,
		headers: {
			Authorization: authorization ?? basic(clientId, clientSecret),
			'Content-Type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams(form).toString(),
	});
}

function passwordGrant(overrides: Record<string, string> = {}) {
	const { clientId, username, password } = sandbox.credentials;
	return requestToken({ username, password, grant_type: 'password', clientId, ...overrides });
}

const balance = async (userId: string, target: Sandbox = sandbox) =>
	(await call(`${BALANCE}?userId=${userId}`, {}, target)).json;

async function withSandbox(options: SandboxOptions, run: (other: Sandbox) => Promise<void>) {
	const other = await startSandbox(options);
	try {
		await run(other);
	} finally {
		await other.close();
	}
}

const envelope = (code: number, message: string, payload: unknown = null) => ({
	response_code: code,
	response_message: message,
	payload,
});

describe('POST /oauth/token (password grant)', () => {
	it('issues a bearer token that authenticates API calls', async () => {
		const answer = await passwordGrant();

		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
			token_type: 'bearer',
			refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
			expires_in: 300,
			scope: 'read write trust',
		});
		expect((await call(`${BALANCE}?userId=EK1`, { token: answer.json.access_token })).status).toBe(
			200,
		);
	});

	it('rejects missing or wrong client credentials with 401', async () => {
		const { clientId } = sandbox.credentials;
		const form = { ...sandbox.credentials, grant_type: 'password' };
		const answers = [
			await requestToken(form, ''),
			await requestToken(form, basic(clientId, 'wrong-secret')),
			await requestToken(form, `Bearer ${token}`),
		];

		for (const answer of answers) {
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({
				error: 'unauthorized',
				error_description: 'Bad client credentials',
			});
		}
	});

	it('rejects grant types other than password', async () => {
		const answer = await passwordGrant({ grant_type: 'refresh_token' });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'unsupported_grant_type',
			error_description: 'Unsupported grant type: refresh_token',
		});
	});

	it('rejects a request without grant type', async () => {
		const answer = await requestToken({ ...sandbox.credentials });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'invalid_request',
			error_description: 'Missing grant type',
		});
	});

	it('rejects a wrong password or an unknown user with 400 Bad credentials', async () => {
		const expected = { error: 'invalid_grant', error_description: 'Bad credentials' };

		for (const answer of [
			await passwordGrant({ password: 'wrong' }),
			await passwordGrant({ username: 'x@y.z' }),
		]) {
			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(expected);
		}
	});

	it('locks the account after 3 consecutive failures, even for the right password', async () => {
		for (let attempt = 0; attempt < 3; attempt += 1) {
			expect((await passwordGrant({ password: 'wrong' })).json.error_description).toBe(
				'Bad credentials',
			);
		}

		const answer = await passwordGrant();

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: 'invalid_grant',
			error_description: 'User account is locked',
		});
	});

	it('resets the failure count on success', async () => {
		await passwordGrant({ password: 'wrong' });
		await passwordGrant({ password: 'wrong' });
		expect((await passwordGrant()).status).toBe(200);
		await passwordGrant({ password: 'wrong' });
		await passwordGrant({ password: 'wrong' });

		expect((await passwordGrant()).status).toBe(200);
	});

	it('locks per username', async () => {
		for (let attempt = 0; attempt < 3; attempt += 1)
			await passwordGrant({ username: 'someone@else.com' });

		expect((await passwordGrant({ username: 'someone@else.com' })).json.error_description).toBe(
			'User account is locked',
		);
		expect((await passwordGrant()).status).toBe(200);
	});

	it('stays locked until reset()', async () => {
		for (let attempt = 0; attempt < 4; attempt += 1) await passwordGrant({ password: 'wrong' });
		sandbox.reset();

		expect((await passwordGrant()).status).toBe(200);
	});

	it('counts token requests, whatever their outcome', async () => {
		await passwordGrant();
		await passwordGrant({ password: 'wrong' });
		await call(`${BALANCE}?userId=EK1`);

		expect(sandbox.tokenRequestCount()).toBe(2);
	});
});

describe('Bearer authentication of /api routes', () => {
	it('answers 401 unauthorized without an Authorization header', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, { token: null });

		expect(answer.status).toBe(401);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			error: 'unauthorized',
			error_description: 'Full authentication is required to access this resource',
		});
	});

	it('answers 401 unauthorized for a non-bearer scheme', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, {
			headers: { Authorization: basic('a', 'b') },
		});

		expect(answer.status).toBe(401);
		expect(answer.json.error).toBe('unauthorized');
	});

	it('answers 401 invalid_token echoing an unknown token', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, { token: 'not-a-token-123' });

		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({
			error: 'invalid_token',
			error_description: 'Invalid access token: not-a-token-123',
		});
	});

	it('accepts the scheme in any case', async () => {
		const answer = await call(`${BALANCE}?userId=EK1`, {
			token: null,
			headers: { Authorization: `bEaReR ${token}` },
		});

		expect(answer.status).toBe(200);
	});

	it('accepts the header name in any case', async () => {
		// node:http sends header names exactly as written (fetch would lower-case them).
		const status = await new Promise<number | undefined>((resolve, reject) => {
			const request = http.request(`${sandbox.url}${BALANCE}?userId=EK1`, {
				headers: { AUTHORIZATION: `Bearer ${token}` },
			});
			request.on('response', (response) => {
				response.resume();
				resolve(response.statusCode);
			});
			request.on('error', reject);
			request.end();
		});

		expect(status).toBe(200);
	});

	it('rejects every token after expireAllTokens()', async () => {
		sandbox.expireAllTokens();

		const answer = await call(`${BALANCE}?userId=EK1`);

		expect(answer.status).toBe(401);
		expect(answer.json.error).toBe('invalid_token');
	});

	it('rejects a token once tokenTtlSeconds have passed', async () => {
		await withSandbox({ tokenTtlSeconds: 1 }, async (other) => {
			const shortLived = other.issueToken();
			expect((await call(`${BALANCE}?userId=EK1`, { token: shortLived }, other)).status).toBe(200);

			await new Promise((resolve) => setTimeout(resolve, 1100));

			expect((await call(`${BALANCE}?userId=EK1`, { token: shortLived }, other)).status).toBe(401);
		});
	});

	it('rejects a token after tokenMaxUses authenticated requests', async () => {
		await withSandbox({ tokenMaxUses: 2 }, async (other) => {
			const limited = other.issueToken();
			const statuses = [];
			for (let use = 0; use < 3; use += 1) {
				statuses.push((await call(`${BALANCE}?userId=EK1`, { token: limited }, other)).status);
			}

			expect(statuses).toEqual([200, 200, 401]);
		});
	});

	it('ignores Cookie headers', async () => {
		const cookie = { Cookie: '_cfuvid=abc; JSESSIONID=DEF' };

		expect((await call(`${BALANCE}?userId=EK1`, { headers: cookie })).status).toBe(200);
		expect((await call(`${BALANCE}?userId=EK1`, { headers: cookie, token: null })).status).toBe(
			401,
		);
	});

	it('authenticates before routing: an unknown /api route without token is a 401', async () => {
		expect((await call('/api/v0/nothing-here', { token: null })).status).toBe(401);
	});
});

describe('POST /api/v0/enkash-coins/create-coins-config', () => {
	const body = { configuration: 'DEFAULT', ...REFERRAL, amount: 50 };

	it('creates an event with a sequential coinConfigId', async () => {
		const first = await call(CREATE, { body });
		const second = await call(CREATE, {
			body: { ...body, event: 'INVOICE_PAYMENT', configuration: 'CUSTOM' },
		});

		expect(first.status).toBe(200);
		expect(first.headers.get('content-type')).toBe('application/json');
		expect(first.json).toEqual(envelope(0, 'Success', { coinConfigId: 'WCC100001', ...body }));
		expect(second.json.payload.coinConfigId).toBe('WCC100002');
		expect(sandbox.events().map((event) => event.coinConfigId)).toEqual(['WCC100001', 'WCC100002']);
	});

	it('reports a duplicate companyId + event as an HTTP 200 envelope failure', async () => {
		await call(CREATE, { body });

		const duplicate = await call(CREATE, { body: { ...body, amount: 7 } });
		const otherCompany = await call(CREATE, { body: { ...body, companyId: 'CEKEKCARDS' } });

		const message =
			'Coin configuration already exists for event REFERRAL_EVENT of company CEK0TCW2W8';
		expect(duplicate.status).toBe(200);
		expect(duplicate.json).toEqual(envelope(1, message, message));
		expect(otherCompany.json.response_code).toBe(0);
	});

	it.each(['configuration', 'companyId', 'event', 'amount'])('requires %s (400)', async (field) => {
		const answer = await call(CREATE, { body: { ...body, [field]: undefined } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it.each(['companyId', 'event', 'configuration'])('rejects a blank %s (400)', async (field) => {
		const answer = await call(CREATE, { body: { ...body, [field]: '  ' } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it('rejects a non-string field (400)', async () => {
		const answer = await call(CREATE, { body: { ...body, companyId: 42 } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, 'companyId must be a string'));
	});

	it.each([-1, 1.5, '10', true])('rejects amount %p (422)', async (amount) => {
		const answer = await call(CREATE, { body: { ...body, amount } });

		expect(answer.status).toBe(422);
		expect(answer.json).toEqual(envelope(422, 'amount must be a whole number of 0 or more'));
	});

	it('accepts amount 0', async () => {
		expect((await call(CREATE, { body: { ...body, amount: 0 } })).json.payload.amount).toBe(0);
	});

	it('rejects a configuration other than DEFAULT or CUSTOM (422)', async () => {
		const answer = await call(CREATE, { body: { ...body, configuration: 'default' } });

		expect(answer.status).toBe(422);
		expect(answer.json).toEqual(envelope(422, 'configuration must be DEFAULT or CUSTOM'));
	});

	it.each(['{"configuration":', '[1,2]', ''])(
		'rejects the body %p as malformed JSON (400)',
		async (text) => {
			const answer = await call(CREATE, { method: 'POST', body: text });

			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(envelope(400, 'Malformed JSON request'));
		},
	);

	it('rejects a body that is not sent as application/json (415)', async () => {
		const answer = await call(CREATE, {
			body: JSON.stringify(body),
			headers: { 'Content-Type': 'text/plain' },
		});

		expect(answer.status).toBe(415);
		expect(answer.json).toMatchObject({
			status: 415,
			error: 'Unsupported Media Type',
			path: CREATE,
		});
		expect(sandbox.events()).toEqual([]);
	});
});

describe('GET /api/v0/enkash-coins/{coinConfigId}', () => {
	it('returns the event configuration', async () => {
		const created = sandbox.createEvent({ ...REFERRAL, amount: 50 });

		const answer = await call(eventPath(created.coinConfigId));

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(
			envelope(0, 'Success', {
				coinConfigId: 'WCC100001',
				configuration: 'DEFAULT',
				...REFERRAL,
				amount: 50,
			}),
		);
	});

	it('answers 404 in an envelope for an unknown id', async () => {
		const answer = await call(eventPath('WCC999999'));

		expect(answer.status).toBe(404);
		expect(answer.json).toEqual(envelope(404, 'Coin configuration WCC999999 not found'));
	});
});

describe('PATCH /api/v0/enkash-coins/{coinConfigId}', () => {
	let coinConfigId: string;

	beforeEach(() => {
		({ coinConfigId } = sandbox.createEvent({ ...REFERRAL, amount: 50 }));
	});

	const patch = (body: unknown, id = coinConfigId) =>
		call(eventPath(id), { method: 'PATCH', body });

	it('changes only the fields given', async () => {
		const answer = await patch({ amount: 10, configuration: 'CUSTOM' });

		const expected = { coinConfigId, configuration: 'CUSTOM', ...REFERRAL, amount: 10 };
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(0, 'Success', expected));
		expect((await call(eventPath(coinConfigId))).json.payload).toEqual(expected);
	});

	it('can rename the event, which allocation then uses', async () => {
		await patch({ event: 'INVOICE_PAYMENT', amount: 6 });

		expect((await call(ALLOCATE, { body: ALLOCATION })).json.response_code).toBe(1);
		expect(
			(await call(ALLOCATE, { body: { ...ALLOCATION, event: 'INVOICE_PAYMENT' } })).json
				.response_code,
		).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(6);
	});

	it('rejects an empty update (400)', async () => {
		const answer = await patch({});

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, 'Nothing to update'));
	});

	it('validates the fields given', async () => {
		expect((await patch({ amount: -5 })).json).toEqual(
			envelope(422, 'amount must be a whole number of 0 or more'),
		);
		expect((await patch({ event: '' })).json).toEqual(envelope(400, 'event must not be blank'));
		expect((await patch({ configuration: 'OTHER' })).status).toBe(422);
		expect(sandbox.events()[0].amount).toBe(50);
	});

	it('answers 404 for an unknown id', async () => {
		const answer = await patch({ amount: 1 }, 'WCC000000');

		expect(answer.status).toBe(404);
		expect(answer.json).toEqual(envelope(404, 'Coin configuration WCC000000 not found'));
	});

	it('refuses to rename onto an existing companyId + event (HTTP 200 envelope failure)', async () => {
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 6 });

		const answer = await patch({ event: 'INVOICE_PAYMENT' });

		const message =
			'Coin configuration already exists for event INVOICE_PAYMENT of company CEK0TCW2W8';
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
	});
});

describe('POST /api/v0/enkash-coins/allocate-coin', () => {
	beforeEach(() => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
	});

	it('credits the user with the configured amount', async () => {
		const answer = await call(ALLOCATE, { body: ALLOCATION });

		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({
			payload: 'Successfully allocated enkash Coins',
			response_code: 0,
			response_message: 'Success',
		});
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		expect(sandbox.allocations()).toEqual([{ ...ALLOCATION, amount: 50 }]);
	});

	it('is idempotent per requestId: a replay succeeds without crediting again', async () => {
		await call(ALLOCATE, { body: ALLOCATION });

		const replay = await call(ALLOCATE, { body: ALLOCATION });

		expect(replay.json.response_code).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		expect(sandbox.allocations()).toHaveLength(1);
	});

	it('reports a reused requestId with a different body as an envelope failure', async () => {
		await call(ALLOCATE, { body: ALLOCATION });

		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, userId: 'EK6CYE6K' } });

		const message = 'Duplicate requestId COIN_REQ1234567';
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
		expect(sandbox.balanceOf('EK6CYE6K')).toBe(0);
	});

	it('reports an unknown event as an HTTP 200 envelope failure', async () => {
		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } });

		const message = 'No coin configuration found for event MEAL_CARD_PAYMENT of company CEK0TCW2W8';
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual(envelope(1, message, message));
		expect(sandbox.allocations()).toEqual([]);
	});

	it('lets a requestId that failed be used again once the event exists', async () => {
		await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } });
		sandbox.createEvent({ ...REFERRAL, event: 'MEAL_CARD_PAYMENT', amount: 6 });

		expect(
			(await call(ALLOCATE, { body: { ...ALLOCATION, event: 'MEAL_CARD_PAYMENT' } })).json
				.response_code,
		).toBe(0);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(6);
	});

	it.each(['companyId', 'event', 'requestId', 'userId'])('requires %s (400)', async (field) => {
		const answer = await call(ALLOCATE, { body: { ...ALLOCATION, [field]: '' } });

		expect(answer.status).toBe(400);
		expect(answer.json).toEqual(envelope(400, `${field} must not be blank`));
	});

	it('lists allocations in credit order', async () => {
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 3 });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R1' } });
		await call(ALLOCATE, {
			body: { ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT', userId: 'EK2' },
		});

		expect(sandbox.allocations()).toEqual([
			{ ...ALLOCATION, requestId: 'R1', amount: 50 },
			{ ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT', userId: 'EK2', amount: 3 },
		]);
	});
});

describe('GET /api/v0/coins/balance', () => {
	it('is 0 for an unknown user', async () => {
		expect(await balance('NOBODY')).toEqual(envelope(0, 'Success', 0));
	});

	it('is the sum of the allocations credited to the user', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
		sandbox.createEvent({ ...REFERRAL, event: 'INVOICE_PAYMENT', amount: 6 });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R1' } });
		await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R2', event: 'INVOICE_PAYMENT' } });

		expect((await balance(ALLOCATION.userId)).payload).toBe(56);
		expect((await balance('EK6CYE6K')).payload).toBe(0);
	});

	it.each([BALANCE, `${BALANCE}?userId=`, `${BALANCE}?userId=%20`])(
		'requires userId: %s (400)',
		async (path) => {
			const answer = await call(path);

			expect(answer.status).toBe(400);
			expect(answer.json).toEqual(envelope(400, 'userId must not be blank'));
		},
	);
});

describe('Unknown routes', () => {
	it('answer a Spring-style 404', async () => {
		const answer = await call('/api/v1/unknown');

		expect(answer.status).toBe(404);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.json).toEqual({
			timestamp: expect.any(String),
			status: 404,
			error: 'Not Found',
			path: '/api/v1/unknown',
		});
	});

	it('answer 405 for a known path with the wrong method', async () => {
		const answer = await call(eventPath('WCC100001'), { method: 'DELETE' });

		expect(answer.status).toBe(405);
		expect(answer.json).toMatchObject({ status: 405, error: 'Method Not Allowed' });
	});
});

describe('Fault injection', () => {
	const getBalance = (options: Call = {}) => call(`${BALANCE}?userId=EK1`, options);

	describe('kind "status"', () => {
		it('answers with the status, an envelope and Retry-After', async () => {
			sandbox.addFault({
				kind: 'status',
				status: 429,
				retryAfter: 2,
				message: 'Too many requests',
			});

			const answer = await getBalance();

			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBe('2');
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(answer.json).toEqual(envelope(429, 'Too many requests'));
		});

		it('defaults to 503 "Service unavailable" without Retry-After', async () => {
			sandbox.addFault({ kind: 'status' });

			const answer = await getBalance();

			expect(answer.status).toBe(503);
			expect(answer.headers.get('retry-after')).toBeNull();
			expect(answer.json).toEqual(envelope(503, 'Service unavailable'));
		});

		it('does not process the request', async () => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
			sandbox.addFault({ kind: 'status', status: 500 });

			await call(ALLOCATE, { body: ALLOCATION });

			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(0);
		});
	});

	it('kind "reset" destroys the connection without a response', async () => {
		sandbox.addFault({ kind: 'reset' });

		await expect(getBalance()).rejects.toThrow();
		expect(sandbox.requests[0].outcome).toBe('reset');
	});

	it('kind "stall" never answers', async () => {
		sandbox.addFault({ kind: 'stall' });

		await expect(getBalance({ signal: AbortSignal.timeout(300) })).rejects.toThrow(
			/abort|timeout/i,
		);
		expect(sandbox.requests[0].outcome).toBe('stall');
	});

	it('kind "latency" delays a normal answer by delayMs', async () => {
		sandbox.addFault({ kind: 'latency', delayMs: 200 });
		const started = Date.now();

		const answer = await getBalance();

		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		expect(answer.json).toEqual(envelope(0, 'Success', 0));
		expect(sandbox.requests[0].outcome).toBe('ok');
	});

	it('kind "malformed" answers 200 with truncated JSON', async () => {
		sandbox.addFault({ kind: 'malformed' });

		const answer = await getBalance();

		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/json');
		expect(answer.text).toBe('{"response_code":0,"respo');
		expect(answer.json).toBeUndefined();
	});

	it('kind "html" answers 502 with an HTML error page', async () => {
		sandbox.addFault({ kind: 'html' });

		const answer = await getBalance();

		expect(answer.status).toBe(502);
		expect(answer.headers.get('content-type')).toBe('text/html');
		expect(answer.text).toContain('<h1>502 Bad Gateway</h1>');
	});

	it('kind "empty" answers 200 with an empty body', async () => {
		sandbox.addFault({ kind: 'empty' });

		const answer = await getBalance();

		expect(answer.status).toBe(200);
		expect(answer.text).toBe('');
	});

	it('kind "envelopeFailure" answers HTTP 200 with response_code 1', async () => {
		sandbox.addFault({ kind: 'envelopeFailure' });
		const byDefault = await getBalance();
		sandbox.setFaults([
			{ kind: 'envelopeFailure', message: 'Insufficient balance in card account' },
		]);
		const withMessage = await getBalance();

		expect(byDefault.status).toBe(200);
		expect(byDefault.json).toEqual(
			envelope(1, 'Internal processing error', 'Internal processing error'),
		);
		expect(withMessage.json).toEqual(
			envelope(1, 'Insufficient balance in card account', 'Insufficient balance in card account'),
		);
	});

	it('kind "expireToken" invalidates the bearer token before authentication', async () => {
		sandbox.addFault({ kind: 'expireToken', times: 1 });

		const first = await getBalance();
		const second = await getBalance();
		const withNewToken = await getBalance({ token: sandbox.issueToken() });

		expect(first.status).toBe(401);
		expect(first.json).toEqual({
			error: 'invalid_token',
			error_description: `Invalid access token: ${token}`,
		});
		expect(second.status).toBe(401);
		expect(withNewToken.status).toBe(200);
	});

	describe('afterProcessing', () => {
		beforeEach(() => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
		});

		it('processes the request and loses the response; a retry does not credit twice', async () => {
			sandbox.addFault({ kind: 'reset', afterProcessing: true, times: 1 });

			await expect(call(ALLOCATE, { body: ALLOCATION })).rejects.toThrow();
			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);

			const retry = await call(ALLOCATE, { body: ALLOCATION });

			expect(retry.json.response_code).toBe(0);
			expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
		});

		it.each(['status', 'malformed', 'html', 'empty'] as const)(
			'applies to kind %s',
			async (kind) => {
				sandbox.addFault({ kind, afterProcessing: true });

				const answer = await call(ALLOCATE, { body: ALLOCATION });

				expect(answer.json?.response_code).not.toBe(0);
				expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(50);
			},
		);
	});

	describe('selection', () => {
		async function outcomes(count: number) {
			for (let i = 0; i < count; i += 1) await getBalance().catch(() => undefined);
			return sandbox.requests.map((request) => request.outcome);
		}

		it('times: N faults the first N matches only', async () => {
			sandbox.addFault({ kind: 'status', times: 2 });

			expect(await outcomes(4)).toEqual(['status', 'status', 'ok', 'ok']);
			expect(sandbox.faults()[0]).toMatchObject({ matched: 4, applied: 2 });
		});

		it('every: N faults every Nth match', async () => {
			sandbox.addFault({ kind: 'status', every: 3 });

			expect(await outcomes(7)).toEqual(['ok', 'ok', 'status', 'ok', 'ok', 'status', 'ok']);
			expect(sandbox.faults()[0]).toMatchObject({ matched: 7, applied: 2 });
		});

		it('rate: p faults a reproducible share of matches', async () => {
			sandbox.addFault({ kind: 'status', rate: 0.5 });
			const first = await outcomes(30);
			const applied = sandbox.faults()[0].applied;

			sandbox.reset();
			token = sandbox.issueToken();
			sandbox.addFault({ kind: 'status', rate: 0.5 });
			const second = await outcomes(30);

			expect(second).toEqual(first);
			expect(first.filter((outcome) => outcome === 'status')).toHaveLength(applied);
			expect(applied).toBeGreaterThan(5);
			expect(applied).toBeLessThan(25);
		});

		it('without times, every or rate, faults every match', async () => {
			sandbox.addFault({ kind: 'status' });

			expect(await outcomes(3)).toEqual(['status', 'status', 'status']);
		});

		it('the first matching applicable rule wins', async () => {
			sandbox.setFaults([
				{ kind: 'status', status: 500, times: 1 },
				{ kind: 'envelopeFailure' },
				{ kind: 'html' },
			]);

			expect(await outcomes(3)).toEqual(['status', 'envelopeFailure', 'envelopeFailure']);
			expect(sandbox.faults().map(({ matched, applied }) => ({ matched, applied }))).toEqual([
				{ matched: 3, applied: 1 },
				{ matched: 2, applied: 2 },
				{ matched: 0, applied: 0 },
			]);
		});
	});

	describe('match', () => {
		beforeEach(() => {
			sandbox.createEvent({ ...REFERRAL, amount: 50 });
		});

		it('by method and exact path', async () => {
			sandbox.addFault({ kind: 'status', match: { method: 'post', path: ALLOCATE } });

			expect((await getBalance()).status).toBe(200);
			expect((await call(ALLOCATE, { body: ALLOCATION })).status).toBe(503);
		});

		it('by path prefix ending in *', async () => {
			sandbox.addFault({ kind: 'status', match: { path: '/api/v0/enkash-coins/*' } });

			expect((await getBalance()).status).toBe(200);
			expect((await call(eventPath('WCC100001'))).status).toBe(503);
			expect((await call(ALLOCATE, { body: ALLOCATION })).status).toBe(503);
		});

		it('by body values', async () => {
			sandbox.addFault({ kind: 'status', match: { body: { userId: 'EK6CYE6K' } } });

			expect((await call(ALLOCATE, { body: ALLOCATION })).status).toBe(200);
			expect(
				(await call(ALLOCATE, { body: { ...ALLOCATION, requestId: 'R2', userId: 'EK6CYE6K' } }))
					.status,
			).toBe(503);
		});

		it('leaves the token endpoint alone unless the rule names it', async () => {
			sandbox.addFault({ kind: 'status' });
			expect((await passwordGrant()).status).toBe(200);

			sandbox.setFaults([{ kind: 'status', match: { path: '/oauth/token' } }]);
			expect((await passwordGrant()).status).toBe(503);
			expect((await getBalance()).status).toBe(200);
		});
	});

	it('rejects invalid rules', () => {
		expect(() => sandbox.addFault({ kind: 'explode' } as never)).toThrow(/kind/);
		expect(() => sandbox.addFault({ kind: 'status', time: 1 } as never)).toThrow(
			'Unknown fault rule field "time"',
		);
		expect(() => sandbox.addFault({ kind: 'latency' })).toThrow('A latency fault needs delayMs');
		expect(() => sandbox.addFault({ kind: 'status', rate: 2 })).toThrow(/rate/);
		expect(() => sandbox.addFault({ kind: 'status', match: { url: '/' } } as never)).toThrow(
			/match/,
		);
		expect(sandbox.faults()).toEqual([]);
	});

	it('clearFaults() removes every rule', async () => {
		sandbox.addFault({ kind: 'status' });
		sandbox.clearFaults();

		expect(sandbox.faults()).toEqual([]);
		expect((await getBalance()).status).toBe(200);
	});
});

describe('Request recording', () => {
	it('records API requests with method, path, query, headers, body, time and outcome', async () => {
		const before = Date.now();
		await call(`${BALANCE}?userId=EK1`, { headers: { 'X-Trace': 'abc' } });
		await call(ALLOCATE, { body: ALLOCATION });

		expect(sandbox.requests).toEqual([
			{
				method: 'GET',
				path: BALANCE,
				query: { userId: 'EK1' },
				headers: expect.objectContaining({ authorization: `Bearer ${token}`, 'x-trace': 'abc' }),
				body: undefined,
				at: expect.any(Number),
				outcome: 'ok',
			},
			expect.objectContaining({
				method: 'POST',
				path: ALLOCATE,
				query: {},
				body: ALLOCATION,
				outcome: 'ok',
			}),
		]);
		expect(sandbox.requests[0].at).toBeGreaterThanOrEqual(before);
	});

	it('records non-200 outcomes as the status code', async () => {
		await call(`${BALANCE}?userId=EK1`, { token: null });

		expect(sandbox.requests[0].outcome).toBe('401');
	});

	it('records the token request form and unparsable bodies as raw text', async () => {
		await passwordGrant();
		await call(ALLOCATE, { method: 'POST', body: '{oops' });

		const { clientId, username, password } = sandbox.credentials;
		expect(sandbox.requests[0].body).toEqual({
			username,
			password,
			grant_type: 'password',
			clientId,
		});
		expect(sandbox.requests[1].body).toBe('{oops');
	});

	it('does not record control requests', async () => {
		await fetch(`${sandbox.url}/__sandbox/state`);

		expect(sandbox.requests).toEqual([]);
	});

	it('can be switched off with recordRequests: false', async () => {
		await withSandbox({ recordRequests: false }, async (other) => {
			await call(`${BALANCE}?userId=EK1`, { token: other.issueToken() }, other);

			expect(other.requests).toEqual([]);
		});
	});
});

describe('Control API (/__sandbox/)', () => {
	const control = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
	};

	it('GET state summarises the sandbox', async () => {
		const { coinConfigId } = sandbox.createEvent({ ...REFERRAL, amount: 50 });
		await call(ALLOCATE, { body: ALLOCATION });
		await passwordGrant();

		const state = await control('GET', 'state');

		expect(state.status).toBe(200);
		expect(state.json).toEqual({
			events: [{ coinConfigId, configuration: 'DEFAULT', ...REFERRAL, amount: 50 }],
			balances: { [ALLOCATION.userId]: 50 },
			allocations: 1,
			requests: 2,
			tokenRequests: 1,
		});
	});

	it('GET requests lists the recorded requests', async () => {
		await call(`${BALANCE}?userId=EK1`);

		const { json } = await control('GET', 'requests');

		expect(json).toEqual([
			expect.objectContaining({ method: 'GET', path: BALANCE, outcome: 'ok' }),
		]);
	});

	it('POST faults replaces the rules (one rule or an array); GET lists them; DELETE clears them', async () => {
		sandbox.addFault({ kind: 'html' });

		const single = await control('POST', 'faults', { kind: 'status', status: 500 });
		expect(single.json).toEqual([{ kind: 'status', status: 500, matched: 0, applied: 0 }]);
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(500);

		await control('POST', 'faults', [{ kind: 'empty', times: 1 }, { kind: 'malformed' }]);
		expect((await control('GET', 'faults')).json).toEqual([
			{ kind: 'empty', times: 1, matched: 0, applied: 0 },
			{ kind: 'malformed', matched: 0, applied: 0 },
		]);

		expect((await control('DELETE', 'faults')).status).toBe(204);
		expect(sandbox.faults()).toEqual([]);
	});

	it('POST faults answers 400 for an invalid rule and keeps the old rules', async () => {
		sandbox.addFault({ kind: 'html' });

		const answer = await control('POST', 'faults', [{ kind: 'status' }, { kind: 'nope' }]);

		expect(answer.status).toBe(400);
		expect(answer.json.error).toMatch(/kind/);
		expect(sandbox.faults()).toEqual([{ kind: 'html', matched: 0, applied: 0 }]);
	});

	it('POST reset clears the state', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });

		expect((await control('POST', 'reset')).status).toBe(204);
		expect(sandbox.events()).toEqual([]);
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it('POST token issues a usable access token', async () => {
		const { json } = await control('POST', 'token');

		expect((await call(`${BALANCE}?userId=EK1`, { token: json.access_token })).status).toBe(200);
	});

	it('POST expire-tokens invalidates every token', async () => {
		await control('POST', 'expire-tokens');

		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it('POST events seeds an event (configuration defaults to DEFAULT)', async () => {
		const answer = await control('POST', 'events', { ...REFERRAL, amount: 50 });

		expect(answer.json).toEqual({
			coinConfigId: 'WCC100001',
			configuration: 'DEFAULT',
			...REFERRAL,
			amount: 50,
		});
		expect(sandbox.events()).toEqual([answer.json]);
	});

	it('POST events answers 400 for invalid or duplicate events', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });

		expect(await control('POST', 'events', { ...REFERRAL, amount: 5 })).toEqual({
			status: 400,
			json: {
				error: 'Coin configuration already exists for event REFERRAL_EVENT of company CEK0TCW2W8',
			},
		});
		expect((await control('POST', 'events', { ...REFERRAL, event: 'X', amount: -1 })).status).toBe(
			400,
		);
	});

	it('answers 404 for unknown control routes', async () => {
		expect((await control('GET', 'nothing')).status).toBe(404);
	});
});

describe('Lifecycle', () => {
	it('exposes its URL, port and credentials', () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.port).toBeGreaterThan(0);
		expect(sandbox.credentials).toEqual({
			clientId: 'sandbox-client',
			clientSecret: 'sandbox-client-secret',
			username: 'loyalty-admin@example.com',
			password: 'sandbox-password',
		});
	});

	it('keeps connections alive between requests', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const get = () =>
			new Promise<boolean>((resolve, reject) => {
				const request = http.get(
					`${sandbox.url}${BALANCE}?userId=EK1`,
					{ agent, headers: { Authorization: `Bearer ${token}` } },
					(response) => {
						response.resume();
						response.on('end', () => resolve(request.reusedSocket));
					},
				);
				request.on('error', reject);
			});

		try {
			expect(await get()).toBe(false);
			expect(await get()).toBe(true);
		} finally {
			agent.destroy();
		}
	});

	it('reset() clears events, balances, allocations, tokens, requests, faults and the id counter', async () => {
		sandbox.createEvent({ ...REFERRAL, amount: 50 });
		await call(ALLOCATE, { body: ALLOCATION });
		sandbox.addFault({ kind: 'html', match: { path: '/nowhere' } });

		sandbox.reset();

		expect(sandbox.events()).toEqual([]);
		expect(sandbox.allocations()).toEqual([]);
		expect(sandbox.balanceOf(ALLOCATION.userId)).toBe(0);
		expect(sandbox.requests).toEqual([]);
		expect(sandbox.tokenRequestCount()).toBe(0);
		expect(sandbox.faults()).toEqual([]);
		expect(sandbox.createEvent({ ...REFERRAL, amount: 1 }).coinConfigId).toBe('WCC100001');
		expect((await call(`${BALANCE}?userId=EK1`)).status).toBe(401);
	});

	it('close() does not hang on stalled or idle connections', async () => {
		const other = await startSandbox();
		other.addFault({ kind: 'stall' });
		const stalled = fetch(`${other.url}${BALANCE}?userId=EK1`, {
			headers: { Authorization: `Bearer ${other.issueToken()}` },
		});
		await new Promise((resolve) => setTimeout(resolve, 50));

		const started = Date.now();
		await other.close();

		expect(Date.now() - started).toBeLessThan(1000);
		await expect(stalled).rejects.toThrow();
	});
});

describe('fault kind "custom"', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());

	it('answers with the given status, content type and body, as they are', async () => {
		sandbox.addFault({
			kind: 'custom',
			status: 200,
			contentType: 'application/json',
			body: '{"payload":1}',
			times: 1,
		});

		const response = await fetch(`${sandbox.url}/api/v0/coins/balance?userId=U1`, {
			headers: { authorization: `Bearer ${sandbox.issueToken()}` },
		});

		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(await response.text()).toBe('{"payload":1}');
	});
});
