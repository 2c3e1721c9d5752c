/**
 * The password credential's ways back, run through n8n-core's engine and its
 * credential Test against the sandbox: every answer of the token endpoint is
 * handled as what it is, a person can always get a refused or locked login
 * back with one deliberate token request, and no execution sends a login
 * that was refused, changed while it ran, or one refusal away from a lockout.
 */
import { sleep, type WorkflowExecuteMode } from 'n8n-workflow';

import { loginMemory } from '../../credentials/common/login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	acceptedLoginRecord,
	tokenFailureRecord,
} from '../../credentials/common/password-grant';
import { CHANGED_WHILE_RUNNING_MESSAGE } from '../../nodes/shared/transport/password-login';
import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import {
	EngineCredentialsHelper,
	runNode,
	testCredential,
	type CredentialStore,
} from '../helpers/n8n-engine';
import { credentialsFor, proveLogin } from '../helpers/sandbox';

const { sandbox } = useAllocationSandbox();
const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

let executions = 0;
function allocateWith(
	store: CredentialStore,
	mode: WorkflowExecuteMode = 'webhook',
	credentialsHelper?: EngineCredentialsHelper,
) {
	executions += 1;
	return runNode({
		parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
		credentials: store,
		credentialsHelper,
		items: referralItems(2, `W${executions}U`),
		mode,
	});
}

const test = (store: CredentialStore, changes = {}) =>
	testCredential(store, PASSWORD_CREDENTIAL, changes);

function tokenRequests(since = 0) {
	const sent = sandbox()
		.requests.slice(since)
		.filter(({ path }) => path === '/oauth/token');
	return { sent: sent.length, refused: sent.filter(({ outcome }) => outcome !== 'ok').length };
}

const stored = (store: CredentialStore, field: string) =>
	JSON.parse(String(store[PASSWORD_CREDENTIAL][field] || 'null'));

/** Proven, then refused by Enkash after its password changed there. */
async function refusedAfterRotation() {
	const store = await proveLogin(credentialsFor(sandbox(), 'password'));
	const { password } = sandbox().credentials;
	sandbox().changePassword('changed-at-enkash');
	sandbox().expireAllTokens();
	const { error } = await allocateWith(store);
	expect(error?.message).toBe('Enkash refused the token request (HTTP 400: Bad credentials)');
	return { store, restore: () => sandbox().changePassword(password) };
}

describe('the way back from a refused login: Test, then Retry', () => {
	it('after Enkash restores the password, the first Test sends nothing and says why; the second sends one token request and says OK', async () => {
		const { store, restore } = await refusedAfterRotation();
		for (let call = 0; call < 3; call++) await allocateWith(store);
		restore();
		const since = sandbox().requests.length;

		const opened = await test(store);
		const retried = await test(store);

		expect(opened).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^Enkash refused these values at .* UTC \(Enkash refused the token request \(HTTP 400: Bad credentials\)\)\. .* click Retry within 60 s: that sends one token request\.$/,
			),
		});
		expect(retried).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(tokenRequests(since)).toEqual({ sent: 1, refused: 0 });
		expect(store[PASSWORD_CREDENTIAL][TOKEN_FAILURE_FIELD]).toBe('');

		const { items } = await allocateWith(store);
		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true]);
	});

	it('a Test after the retry window has passed sends nothing again', async () => {
		const { store } = await refusedAfterRotation();
		const since = sandbox().requests.length;
		const now = Date.now();
		const later = jest.spyOn(Date, 'now');

		await test(store);
		later.mockReturnValue(now + 61_000);
		const tooLate = await test(store);
		later.mockRestore();

		expect(tooLate.message).toMatch(/click Retry within 60 s/);
		expect(tokenRequests(since).sent).toBe(0);
	});

	it('changed values are a new login, tested at once', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'typo' });
		expect((await test(store)).message).toBe(
			'Enkash refused the token request (HTTP 400: Bad credentials)',
		);

		const corrected = await test(store, { password: sandbox().credentials.password });

		expect(corrected.status).toBe('OK');
		expect(tokenRequests()).toEqual({ sent: 2, refused: 1 });
	});

	it('a login Enkash accepts clears the refusal another process remembers, once the accepted login is stored', async () => {
		const { store, restore } = await refusedAfterRotation();
		restore();
		await test(store);
		await test(store);
		// This process remembers the refusal as a worker would that learned of it before the Test.
		const refusal = tokenFailureRecord(
			store[PASSWORD_CREDENTIAL],
			{
				kind: 'refused',
				message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
				advice: '',
			},
			new Date(Date.now() - 1000),
		);
		loginMemory.rememberRefusal(JSON.parse(refusal));

		const { items } = await allocateWith(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true]);
	});

	it('an execution stopped by a stored refusal says what to do', async () => {
		const { store } = await refusedAfterRotation();

		const { error } = await allocateWith(store);

		expect(error?.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* UTC; not sent again until the credential is changed and saved, or tested twice$/,
		);
		expect(error?.description).toMatch(
			/^Nothing was sent to Enkash\. Fix the values .* click Test twice/,
		);
	});
});

describe('a locked account', () => {
	it('the message names what to do; once Enkash unlocks it, Test twice sends one token request and the workflow runs', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong' });
		// Three refusals from three n8n instances, which share nothing but the account.
		for (let refusal = 0; refusal < 3; refusal++) {
			await test(credentialsFor(sandbox(), 'password', { password: `wrong-${refusal}` }));
			loginMemory.clear();
		}
		store[PASSWORD_CREDENTIAL].password = sandbox().credentials.password;
		expect(sandbox().isLocked()).toBe(true);

		const locked = await test(store);
		expect(locked.message).toBe('Enkash has locked the account (HTTP 400: User account is locked)');
		expect(stored(store, TOKEN_FAILURE_FIELD)).toMatchObject({
			kind: 'locked',
			advice: expect.stringMatching(/^Ask Enkash to unlock/),
		});
		const { error } = await allocateWith(store, 'manual');
		expect(error?.description).toMatch(
			/once Enkash has restored the password or unlocked the account, open the credential and click Test twice/,
		);

		sandbox().unlockAccount();
		const since = sandbox().requests.length;
		const first = await test(store);
		const second = await test(store);

		expect(first.message).toMatch(
			/^Enkash locked the account at .* Ask Enkash to unlock it\. Nothing was sent now\./,
		);
		expect(second.status).toBe('OK');
		expect(tokenRequests(since)).toEqual({ sent: 1, refused: 0 });
		expect((await allocateWith(store)).items?.map(({ json }) => json.allocated)).toEqual([
			true,
			true,
		]);
	});
});

describe('answers that are not refusals hold nothing back beyond a cool-down', () => {
	it('one 429 from the token endpoint: not stored as a refusal; a few seconds later executions allocate, with at most 3 token requests in all', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		sandbox().addFault({ kind: 'status', status: 429, match: { path: '/oauth/token' }, times: 1 });

		const throttled = await allocateWith(store);
		expect(throttled.error?.message).toMatch(
			/^Enkash's token endpoint is throttling requests \(HTTP 429.*\); the next token request is sent after .* \(in 2 s\)$/,
		);
		expect(stored(store, TOKEN_FAILURE_FIELD)).toMatchObject({ kind: 'throttled' });
		await sleep(3000);
		const later = await allocateWith(store);

		expect(later.items?.map(({ json }) => json.allocated)).toEqual([true, true]);
		expect(tokenRequests().sent).toBeLessThanOrEqual(3);
		expect(tokenRequests().refused).toBe(1);
		expect(store[PASSWORD_CREDENTIAL][TOKEN_FAILURE_FIELD]).toBe('');
	});

	it('honours Retry-After', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		sandbox().addFault({
			kind: 'status',
			status: 429,
			retryAfter: 30,
			match: { path: '/oauth/token' },
			times: 1,
		});

		const { error } = await allocateWith(store);

		expect(error?.message).toMatch(/\(in 30 s\)$/);
		const since = sandbox().requests.length;
		expect((await allocateWith(store)).error?.message).toMatch(/throttling/);
		expect(tokenRequests(since).sent).toBe(0);
	});

	it('a token endpoint that is down: no refusal stored, a cool-down rather than a request per execution, and once it is back executions allocate', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		sandbox().addFault({ kind: 'reset', match: { path: '/oauth/token' } });

		const since = sandbox().requests.length;
		const during = [];
		for (let call = 0; call < 5; call++) during.push(await allocateWith(store));
		expect(during.map(({ error }) => error?.message)).toEqual(
			during.map(() => expect.stringMatching(/^Enkash's token endpoint could not be reached/)),
		);
		expect(tokenRequests(since).sent).toBe(1);
		expect(stored(store, TOKEN_FAILURE_FIELD)).toMatchObject({ kind: 'unavailable' });

		sandbox().clearFaults();
		await sleep(2500);
		const { items } = await allocateWith(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true]);
		expect(tokenRequests(since)).toEqual({ sent: 2, refused: 1 });
	});

	it('a wrong Token URL (404): the message names the URL, and nothing outlives fixing it', async () => {
		const wrongUrl = `${sandbox().url}/oauth/tokens`;
		const store = credentialsFor(sandbox(), 'password', { tokenUrl: wrongUrl });

		const wrong = await test(store);
		expect(wrong.message).toMatch(
			new RegExp(
				`^${wrongUrl.replace(/[/.]/g, '\\$&')} answered HTTP 404.*: it did not answer as Enkash's token endpoint`,
			),
		);
		expect(stored(store, TOKEN_FAILURE_FIELD)).toMatchObject({ kind: 'wrongAddress' });

		const fixed = await test(store, { tokenUrl: '' });
		expect(fixed.status).toBe('OK');
		store[PASSWORD_CREDENTIAL].tokenUrl = '';
		expect((await allocateWith(store)).items?.map(({ json }) => json.allocated)).toEqual([
			true,
			true,
		]);
	});
});

describe('an execution never sends values that are no longer the credential’s', () => {
	it('the password changed in n8n and at Enkash while a campaign runs: at its renewal it stops, without a token request', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const data = store[PASSWORD_CREDENTIAL];
		// The token the execution starts with is due for renewal.
		data[ACCEPTED_LOGIN_FIELD] = acceptedLoginRecord(data, 300, new Date(Date.now() - 299_000));
		loginMemory.clear();
		const startedWith = { [PASSWORD_CREDENTIAL]: { ...data } };
		sandbox().changePassword('new-password');
		const edited = { ...data, password: 'new-password', [SESSION_TOKEN_FIELD]: '' };
		store[PASSWORD_CREDENTIAL] = edited;
		expect((await test(store)).status).toBe('OK');
		const since = sandbox().requests.length;

		class StartedBeforeTheEdit extends EngineCredentialsHelper {
			private first = true;

			override async getDecrypted(...args: Parameters<EngineCredentialsHelper['getDecrypted']>) {
				if (!this.first) return await super.getDecrypted(...args);
				this.first = false;
				return { ...startedWith[PASSWORD_CREDENTIAL] };
			}
		}
		const { error } = await allocateWith(store, 'webhook', new StartedBeforeTheEdit(store));

		expect(error?.message).toBe(CHANGED_WHILE_RUNNING_MESSAGE);
		expect(tokenRequests(since).sent).toBe(0);
	});
});

describe('one username, one count', () => {
	it('three credentials with one username and different wrong passwords, each tested once: the third sends nothing and warns', async () => {
		const tests = [];
		for (const password of ['wrong-1', 'wrong-2', 'wrong-3']) {
			tests.push(await test(credentialsFor(sandbox(), 'password', { password })));
		}

		expect(tests.map(({ message }) => message)).toEqual([
			'Enkash refused the token request (HTTP 400: Bad credentials)',
			'Enkash refused the token request (HTTP 400: Bad credentials)',
			expect.stringMatching(
				/^Enkash has refused 2 logins in a row for this username .*: one more refused token request locks the account\. Nothing was sent now\./,
			),
		]);
		expect(tokenRequests()).toEqual({ sent: 2, refused: 2 });
		expect(sandbox().isLocked()).toBe(false);
	});

	it('after 2 refusals in a row, nothing unattended sends for that username, even a proven login', async () => {
		const proven = await proveLogin(credentialsFor(sandbox(), 'password'));
		for (const password of ['wrong-1', 'wrong-2']) {
			await test(credentialsFor(sandbox(), 'password', { password }));
		}
		sandbox().expireAllTokens();
		const since = sandbox().requests.length;

		const { error } = await allocateWith(proven);

		expect(error?.message).toMatch(/^Enkash has refused 2 logins in a row for this username/);
		expect(sandbox().requests.length - since).toBeLessThanOrEqual(1);
		expect(tokenRequests(since).sent).toBe(0);
	});
});

describe("the credential's Test", () => {
	it('says OK once Enkash accepts the token, whatever Enkash answers about the made-up user', async () => {
		sandbox().addFault({
			kind: 'status',
			status: 404,
			message: 'User not found',
			match: { path: '/api/v0/coins/balance' },
		});

		expect(await test(credentialsFor(sandbox(), 'password'))).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(
			await testCredential(credentialsFor(sandbox(), 'accessToken'), 'enkashCoinsApi'),
		).toMatchObject({
			status: 'OK',
		});
	});

	it('fails when Enkash refuses a pasted access token', async () => {
		const store = credentialsFor(sandbox(), 'accessToken', { accessToken: 'expired' });

		expect(await testCredential(store, 'enkashCoinsApi')).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Enkash did not accept the token \(invalid_token\)/),
		});
	});
});
