/**
 * The sandbox under test, started once per test file and emptied before each
 * test, and helpers that call it over HTTP as a client would.
 */

import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/enkash-sandbox';

import { BALANCE } from './api';

export interface Call {
	method?: string;
	body?: unknown;
	/** a bearer token; null sends no Authorization header */
	token?: string | null;
	headers?: Record<string, string>;
	signal?: AbortSignal;
}

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any answer's shape, read freely by assertions
	json: any;
}

export let sandbox: Sandbox;
export let token: string;

beforeAll(async () => {
	sandbox = await startSandbox();
});

afterAll(() => sandbox.close());

beforeEach(() => {
	sandbox.reset();
	token = sandbox.issueToken();
});

export async function call(
	path: string,
	options: Call = {},
	target: Sandbox = sandbox,
): Promise<Answer> {
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

export function basic(clientId: string, clientSecret: string) {
	return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

export async function requestToken(
	form: Record<string, string>,
	authorization?: string,
	target: Sandbox = sandbox,
): Promise<Answer> {
	const { clientId, clientSecret } = target.credentials;
	return call(
		'/oauth/token',
		{
			method: 'POST',
			token: null,
			headers: {
				Authorization: authorization ?? basic(clientId, clientSecret),
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams(form).toString(),
		},
		target,
	);
}

export function passwordGrant(overrides: Record<string, string> = {}, target: Sandbox = sandbox) {
	const { clientId, username, password } = target.credentials;
	return requestToken(
		{ username, password, grant_type: 'password', clientId, ...overrides },
		undefined,
		target,
	);
}

export const balance = async (userId: string, target: Sandbox = sandbox) =>
	(await call(`${BALANCE}?userId=${userId}`, {}, target)).json;

export async function withSandbox(options: SandboxOptions, run: (other: Sandbox) => Promise<void>) {
	const other = await startSandbox(options);
	try {
		await run(other);
	} finally {
		await other.close();
	}
}
