// @ts-check
/**
 * `npm run test:live [-- --sandbox] [-- --report <file>]`: every operation
 * through the packed node in the pinned n8n, against the Enkash environment the
 * ENKASH_LIVE_* variables name (or a sandbox), through a loopback forwarder
 * that records each request and answer; then the same requests against a fresh
 * sandbox, and a report of every difference (see the README's Reliability).
 */
const { once } = require('node:events');
const fs = require('node:fs');
const http = require('node:http');
const { text } = require('node:stream/consumers');

const { toolFlags, writeTotals } = require('./ci-totals');
const { compareAnswers, parseBody, redact } = require('./live-compare');
const { N8n } = require('./n8n');
const { OWNER } = require('./playground');
const { paths } = require('./runtime');
const { EXAMPLE_CREDENTIALS, manualWorkflow, nodeOutput } = require('./workflows');
const { TOKEN_PATH } = require('../sandbox/common');
const { startSandbox } = require('../sandbox/enkash-sandbox');

/** The live check's settings, by the variable that gives each. */
const VARIABLES = {
	baseUrl: 'ENKASH_LIVE_BASE_URL',
	clientId: 'ENKASH_LIVE_CLIENT_ID',
	clientSecret: 'ENKASH_LIVE_CLIENT_SECRET',
	username: 'ENKASH_LIVE_USERNAME',
	password: 'ENKASH_LIVE_PASSWORD',
	companyId: 'ENKASH_LIVE_COMPANY_ID',
	userId: 'ENKASH_LIVE_USER_ID',
	event: 'ENKASH_LIVE_EVENT',
	eventId: 'ENKASH_LIVE_EVENT_ID',
};
const REPEAT = 'Allocate Again (same Request ID)';
// Hop-by-hop headers, and those fetch() sets itself (it decompresses answers).
const UNCOPIED =
	/^(host|connection|keep-alive|transfer-encoding|content-length|content-encoding|accept-encoding)$/i;

/** @typedef {import('./live-compare').Answer} Answer */
/** @typedef {{ method: string, path: string, search: string, headers: Record<string, string>, text: string, answer?: Answer, failed?: string, reference?: Answer, differences?: string[] }} Exchange */
/** @typedef {{ baseUrl: string, clientId: string, clientSecret: string, username: string, password: string, companyId: string, userId: string, event: string, eventId: string, tokenUrl?: string, allocate: boolean }} Config */

/** @param {Headers | http.IncomingHttpHeaders} headers @returns {Record<string, string>} */
const headersOf = (headers) => {
	const entries = headers instanceof Headers ? [...headers] : Object.entries(headers);
	const kept = entries.filter(([name, value]) => !UNCOPIED.test(name) && value !== undefined);
	return Object.fromEntries(kept.map(([name, value]) => [name, String(value)]));
};
/** @param {Config} config */
const loginOf = ({ clientId, clientSecret, username, password }) => ({
	clientId,
	clientSecret,
	username,
	password,
});
/** @param {Response} response @returns {Promise<Answer>} */
const answerOf = async (response) => ({
	status: response.status,
	headers: headersOf(response.headers),
	body: parseBody(await response.text()),
});

/** Forwards the node's requests to Enkash and records them; never a second token request. @param {Config} config @param {Exchange[]} exchanges */
async function startRecorder(config, exchanges) {
	const server = http.createServer(async (req, res) => {
		const { pathname: path, search } = new URL(req.url ?? '/', 'http://recorder');
		const [method, headers] = [req.method ?? 'GET', headersOf(req.headers)];
		/** @type {Exchange} */
		const exchange = { method, path, search, headers, text: await text(req) };
		const isToken = path === TOKEN_PATH;
		if (isToken && exchanges.some((sent) => sent.path === TOKEN_PATH)) {
			res.writeHead(400, { 'content-type': 'application/json' });
			res.end('{"error":"invalid_request","error_description":"The live check sends one"}');
			return;
		}
		exchanges.push(exchange);
		const base = config.baseUrl.replace(/\/+$/, '');
		const url = isToken && config.tokenUrl ? config.tokenUrl : `${base}${path}${search}`;
		try {
			const body = exchange.text || undefined;
			const signal = AbortSignal.timeout(60_000);
			const response = await fetch(url, { method, headers, body, redirect: 'manual', signal });
			const raw = await response.clone().text();
			exchange.answer = await answerOf(response);
			res.writeHead(response.status, exchange.answer.headers).end(raw);
		} catch (error) {
			exchange.failed = /** @type {Error} */ (error).message;
			res.destroy();
		}
	});
	await once(server.listen(0, '127.0.0.1'), 'listening');
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return { server, url: `http://127.0.0.1:${port}` };
}

/** What a user would build: every operation, each going on after a failure. @param {Config} config @param {string} unique */
function liveWorkflow({ companyId, userId, event, eventId, allocate }, unique) {
	const balance = { resource: 'balance', operation: 'get', userId };
	const allocation = {
		resource: 'allocation',
		operation: 'allocate',
		companyId,
		userId,
		eventName: event,
		requestId: `N8N-LIVE-CHECK-${unique}`,
	};
	const create = { companyId, eventName: `N8N_LIVE_CHECK_${unique}`, amount: 1 };
	const created = "={{ $('Create Test Event').item.json.coinConfigId }}";
	const update = { coinConfigId: created, updateFields: { amount: 2 } };
	/** @type {Array<[string, Record<string, unknown>]>} */
	const steps = [
		['Balance Before', balance],
		['Get Existing Event', { resource: 'event', operation: 'get', coinConfigId: eventId }],
		['Create Test Event', { resource: 'event', operation: 'create', ...create }],
		['Update Test Event', { resource: 'event', operation: 'update', ...update }],
	];
	if (allocate)
		steps.push(['Allocate', allocation], [REPEAT, allocation], ['Balance After', balance]);
	const { id, name, type } = EXAMPLE_CREDENTIALS.password;
	const nodes = steps.map(([step, parameters], index) => ({
		id: `live-${index}`,
		name: step,
		type: 'n8n-nodes-enkash-coins.enkashCoins',
		typeVersion: 1,
		position: [220 * index + 220, 0],
		onError: 'continueRegularOutput',
		parameters: { authentication: 'password', ...parameters, options: {} },
		credentials: { [type]: { id, name } },
	}));
	return manualWorkflow({ id: 'EnkashLiveCheck1', name: 'Enkash live check', nodes });
}

/** The same requests against a sandbox seeded like Enkash, with its own token and ids. @param {Config} config @param {Exchange[]} exchanges @param {any} existing */
async function replay(config, exchanges, existing) {
	const { companyId, event } = config;
	const reference = await startSandbox(loginOf(config));
	const amount =
		Number.isSafeInteger(existing?.amount) && existing.amount > 0 ? existing.amount : 1;
	const seeded = reference.createEvent({ companyId, event, amount });
	const ids = new Map([[config.eventId, seeded.coinConfigId]]);
	let token = '';
	try {
		for (const exchange of exchanges.filter(({ answer }) => answer)) {
			const { status } = /** @type {Answer} */ (exchange.answer);
			// Enkash did not act on what it throttled or could not serve: the sandbox answers the
			// same way instead of acting on it, so that its answer's form is compared.
			const fault = { kind: /** @type {const} */ ('status'), status, times: 1 };
			if ([429, 502, 503, 504].includes(status))
				reference.addFault(status === 429 ? { ...fault, retryAfter: 1 } : fault);
			const headers = { ...exchange.headers };
			if (/^bearer /i.test(headers.authorization ?? '')) headers.authorization = `Bearer ${token}`;
			const parts = exchange.path
				.split('/')
				.map((part) => ids.get(decodeURIComponent(part)) ?? part);
			const url = `${reference.url}${parts.join('/')}${exchange.search}`;
			const { method, text: body } = exchange;
			const answer = await answerOf(await fetch(url, { method, headers, body: body || undefined }));
			const [theirs, ours] = /** @type {any[]} */ ([exchange.answer?.body, answer.body]);
			if (exchange.path === TOKEN_PATH) token = ours?.access_token ?? ours?.accessToken ?? '';
			const [from, to] = [theirs?.payload?.coinConfigId, ours?.payload?.coinConfigId];
			if (from && to) ids.set(from, to);
			exchange.reference = answer;
			exchange.differences = compareAnswers(/** @type {Answer} */ (exchange.answer), answer);
		}
	} finally {
		await reference.close();
	}
}

/** The report, secrets hidden. @param {Config} config @param {{ target: string, exchanges: Exchange[], run: any, steps: string[] }} live */
function report(config, { target, exchanges, run, steps }) {
	const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
	const tokens = JSON.stringify(exchanges).matchAll(
		/(?:access_?token|refresh_?token)\\?"\s*:\s*\\?"([^"\\]+)|[Bb]earer ([^"\s\\]+)/g,
	);
	const secrets = [...Object.values(loginOf(config)), basic];
	secrets.push(...[...tokens].map((match) => match[1] ?? match[2]));
	/** @param {unknown} value */
	const show = (value) => `\`${JSON.stringify(redact(value, secrets)) ?? ''}\``;
	/** @param {string} step */
	const output = (step) => (run ? nodeOutput(run, step)[0]?.json : undefined);
	/** @param {Answer} [answer] */
	const answerLine = (answer) =>
		answer
			? `${answer.status}, Content-Type \`${answer.headers['content-type'] ?? 'none'}\`, Retry-After \`${answer.headers['retry-after'] ?? 'none'}\`: ${show(answer.body)}`
			: 'no answer';
	const answered = exchanges.filter(({ answer }) => answer);
	const byPath = (/** @type {string} */ path) => answered.filter((sent) => sent.path === path);
	const token = /** @type {any} */ (byPath(TOKEN_PATH)[0]?.answer?.body) ?? {};
	const spelling = ['access_token', 'accessToken'].find((key) => key in token);
	const under200 = answered
		.filter(({ answer, path }) => path !== TOKEN_PATH && answer?.status === 200)
		.filter(({ answer }) => /** @type {any} */ (answer?.body)?.response_code !== 0);
	const withRetryAfter = answered.filter(({ answer }) => answer?.headers['retry-after']);
	const [before, after] = [output('Balance Before')?.balance, output('Balance After')?.balance];
	const amount = output('Get Existing Event')?.amount;
	const moved = after - before;
	const credited = amount > 0 ? `moved by ${moved}, ${moved / amount} × the event's amount` : '';
	const requestLine = (/** @type {Exchange} */ { method, path, search }) =>
		`${method} ${path}${redact(search, secrets)}`;
	return [
		'# Enkash live check',
		'',
		`- ${target}${config.tokenUrl ? `, token URL ${config.tokenUrl}` : ''}, ${new Date().toISOString()}`,
		`- n8n-nodes-enkash-coins ${require('../package.json').version} in n8n ${paths.n8nVersion}`,
		'',
		'## The unknowns',
		'',
		`- **Token answer**: ${spelling ? (spelling === 'accessToken' ? 'camelCase' : 'snake_case') : 'neither spelling'}, keys ${show(Object.keys(token))}`,
		`- **Failures under HTTP 200**: ${under200.map((sent) => `${requestLine(sent)} → ${show(sent.answer?.body)}`).join('; ') || 'none seen'}`,
		`- **Retry-After**: on ${withRetryAfter.length} of ${answered.length} answers (${withRetryAfter.map(requestLine).join('; ') || 'none'})`,
		config.allocate
			? `- **Repeated requestId**: first ${show(output('Allocate'))}, repeated ${show(output(REPEAT))}; balance ${before} → ${after} ${credited}`
			: '- **Repeated requestId**: not tried (ENKASH_LIVE_ALLOCATE=1 tries it, with real coins)',
		'',
		'## Steps in n8n',
		'',
		...steps.map(
			(step) =>
				`- ${step}: ${output(step)?.error ? `error ${show(output(step).error)}` : show(output(step))}`,
		),
		'',
		'## Requests',
		...exchanges.flatMap((sent, index) => [
			'',
			`### ${index + 1}. ${requestLine(sent)}: ${sent.failed ? `not answered (${sent.failed})` : `${sent.differences?.length} differences`}`,
			'',
			`- Request: headers ${show(sent.headers)}, body ${show(/form-urlencoded/.test(sent.headers['content-type'] ?? '') ? Object.fromEntries(new URLSearchParams(sent.text)) : parseBody(sent.text))}`,
			`- Enkash: ${answerLine(sent.answer)}`,
			`- Sandbox: ${answerLine(sent.reference)}`,
			...(sent.differences ?? []).map((difference) => `- **Difference**: ${difference}`),
		]),
		'',
	].join('\n');
}

/** @returns {Config} */
function configFromEnv() {
	const values = Object.fromEntries(
		Object.entries(VARIABLES).map(([key, name]) => [key, process.env[name]]),
	);
	const { ENKASH_LIVE_TOKEN_URL: tokenUrl, ENKASH_LIVE_ALLOCATE: allocate } = process.env;
	return /** @type {Config} */ ({ ...values, tokenUrl, allocate: allocate === '1' });
}

async function main() {
	const flags = toolFlags({ sandbox: { type: 'boolean' }, report: { type: 'string' } });
	const reportFile = String(flags.report ?? 'live-report.md');
	const missing = Object.values(VARIABLES).filter((name) => !process.env[name]);
	if (!flags.sandbox && missing.length) {
		console.error(
			`Not run. Set ${missing.join(', ')}; optionally ENKASH_LIVE_TOKEN_URL (if not {base URL}/oauth/token) and ENKASH_LIVE_ALLOCATE=1 (credits the test user real coins, twice with the same Request ID). Or run it against a sandbox: npm run test:live -- --sandbox`,
		);
		process.exit(2);
	}
	const sandbox = flags.sandbox ? await startSandbox() : undefined;
	const seed = { companyId: 'CEKLIVECHK', event: 'LIVE_CHECK_EVENT', amount: 5 };
	const eventId = sandbox?.createEvent(seed).coinConfigId ?? '';
	const config = sandbox
		? {
				...sandbox.credentials,
				...seed,
				eventId,
				userId: 'EKLIVECHK',
				baseUrl: sandbox.url,
				allocate: true,
			}
		: configFromEnv();
	/** @type {Exchange[]} */
	const exchanges = [];
	const recorder = await startRecorder(config, exchanges);
	const n8n = N8n.create({ log: console.log });
	const workflow = liveWorkflow(config, new Date().toISOString().replace(/\D/g, '').slice(0, 14));
	let run;
	try {
		const data = { ...loginOf(config), baseUrl: recorder.url, tokenUrl: '' };
		await n8n.importCredentials([{ ...EXAMPLE_CREDENTIALS.password, data }]);
		// Workflows send only a login Enkash has accepted: the credential's test, as Save runs it, comes first.
		await n8n.acceptLogins([EXAMPLE_CREDENTIALS.password], OWNER);
		await n8n.importWorkflow(workflow);
		const execution = await n8n.execute(workflow.id);
		run = execution.run;
		if (!run) console.error(`n8n gave no run data:\n${execution.output.stdout.slice(-3000)}`);
		if (run) await replay(config, exchanges, nodeOutput(run, 'Get Existing Event')[0]?.json);
	} finally {
		recorder.server.close();
		await Promise.all([n8n.dispose(), sandbox?.close()]);
	}
	const steps = workflow.nodes.slice(1).map(({ name }) => name);
	const target = sandbox ? 'a sandbox started by the command' : config.baseUrl;
	fs.writeFileSync(reportFile, report(config, { target, exchanges, run, steps }));
	const counts = exchanges.map(({ failed, differences = [] }) => (failed ? 1 : differences.length));
	const erred = steps.filter((step) => run && nodeOutput(run, step)[0]?.json?.error);
	if (erred.length) console.log(`Steps that ended in an error: ${erred.join(', ')}`);
	const token = exchanges.find(({ path }) => path === TOKEN_PATH)?.answer;
	if (token && token.status !== 200)
		console.log(`The token request was refused (HTTP ${token.status}): check the login.`);
	// Against a sandbox every step must succeed; against Enkash a failed step is a finding.
	const failedSteps = sandbox ? erred : [];
	const total = counts.reduce((sum, count) => sum + count, 0);
	console.log(`${exchanges.length} requests, report in ${reportFile}\n${total} differences`);
	const numPassedTests = counts.filter((count) => count === 0).length;
	const numFailedTests = counts.length - numPassedTests + failedSteps.length + (run ? 0 : 1);
	writeTotals({ numPassedTests, numFailedTests }, flags.outputFile);
	process.exit(numFailedTests || !exchanges.length ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
