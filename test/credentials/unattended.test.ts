/**
 * The password credential where nobody watches: executions renew a token
 * before they send, one token request per renewal, and use what another
 * process (a queue-mode worker) has stored: its token, its claim to renew, or
 * Enkash's refusal.
 */
import { loginMemory } from '../../credentials/common/login-memory';
import {
	LOGIN_STATE_FIELD,
	RENEWAL_CLAIM_FIELD,
	liveClaim,
	newClaim,
	readLoginState,
	loginOf,
} from '../../credentials/common/login-state';
import { CHANGED_WHILE_RUNNING_MESSAGE } from '../../nodes/shared/transport/password-login';
import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import {
	EngineCredentialsHelper,
	OTHER_NODE_TYPE,
	runNode,
	testCredential,
	type CredentialStore,
} from '../helpers/n8n-engine';
import { apiRequests, credentialsFor, proveLogin } from '../helpers/sandbox';

const { sandbox } = useAllocationSandbox();
const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

let executions = 0;
function allocateWith(store: CredentialStore, items = 3) {
	executions += 1;
	return runNode({
		parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
		credentials: store,
		items: referralItems(items, `E${executions}U`),
		mode: 'webhook',
	});
}

describe('renewing before sending', () => {
	it('20 executions at once, their token refused by Enkash as expired: all credit their user, with one token request, and the claim is settled', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		const before = sandbox().tokenRequestCount();

		const runs = await Promise.all(Array.from({ length: 20 }, () => allocateWith(store, 1)));

		expect(runs.map(({ items }) => items?.[0].json.allocated)).toEqual(Array(20).fill(true));
		expect(sandbox().tokenRequestCount()).toBe(before + 1);
		expect(
			liveClaim(store[PASSWORD_CREDENTIAL], loginOf(store[PASSWORD_CREDENTIAL])),
		).toBeUndefined();
	});

	it('stores its claim to renew before it asks Enkash, and the renewal settles it', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		const writes: Array<{ claim: boolean; tokenRequests: number }> = [];
		const credentialsHelper = new (class extends EngineCredentialsHelper {
			override async preAuthentication(
				...args: Parameters<EngineCredentialsHelper['preAuthentication']>
			) {
				const stored = await super.preAuthentication(...args);
				if (stored) {
					const data = this.store[PASSWORD_CREDENTIAL];
					const claim = liveClaim(data, loginOf(data)) !== undefined;
					writes.push({ claim, tokenRequests: sandbox().tokenRequestCount() });
				}
				return stored;
			}
		})(store);

		const { items } = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			credentialsHelper,
			items: referralItems(2, 'CLAIM'),
			mode: 'webhook',
		});

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true]);
		// The proof's token request, then the claim stored, then the renewal: one more token request.
		expect(writes).toEqual([
			{ claim: true, tokenRequests: 1 },
			{ claim: false, tokenRequests: 2 },
		]);
	});

	it("another process's live claim: the execution keeps using the token it holds and sends no token request", async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const data = store[PASSWORD_CREDENTIAL];
		const state = readLoginState(data);
		// The token is due for renewal, and another worker has claimed it.
		state.token = { ...state.token!, renewAt: new Date(Date.now() - 1000).toISOString() };
		data[LOGIN_STATE_FIELD] = JSON.stringify(state);
		const claim = newClaim(loginOf(data), 45_000);
		data[RENEWAL_CLAIM_FIELD] = JSON.stringify(claim);
		const before = sandbox().tokenRequestCount();

		const { items } = await allocateWith(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(sandbox().tokenRequestCount()).toBe(before);
		expect(liveClaim(store[PASSWORD_CREDENTIAL], loginOf(data))?.id).toBe(claim.id);
	});

	it('stops at the refusal another process has stored, sending nothing more', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().changePassword('changed-at-enkash');
		sandbox().expireAllTokens();
		// One worker renews first: Enkash refuses it, and the refusal is stored.
		const first = await allocateWith(store, 1);
		expect(first.error?.message).toMatch(/^Enkash refused the token request/);
		loginMemory.clear();
		const before = sandbox().tokenRequestCount();
		const apiBefore = apiRequests(sandbox()).length;
		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL] };

		// Another process, which did not see the refusal itself.
		const { error } = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			items: referralItems(2, 'LATE'),
			mode: 'webhook',
		});

		expect(error?.message).toMatch(/^Enkash refused the token request .* at /);
		expect(sandbox().tokenRequestCount()).toBe(before);
		expect(apiRequests(sandbox()).length - apiBefore).toBeLessThanOrEqual(1);
	});
});

describe('an execution never sends values that are no longer the credential’s', () => {
	it('the password changed in n8n and at Enkash while a campaign runs: at its renewal it stops, without a token request', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const data = store[PASSWORD_CREDENTIAL];
		// The token the execution starts with is due for renewal.
		const state = readLoginState(data);
		state.token = { ...state.token!, renewAt: new Date(Date.now() - 1000).toISOString() };
		data[LOGIN_STATE_FIELD] = JSON.stringify(state);
		const startedWith = { ...data };
		sandbox().changePassword('new-password');
		store[PASSWORD_CREDENTIAL] = { ...data, password: 'new-password' };
		expect((await testCredential(store, PASSWORD_CREDENTIAL)).status).toBe('OK');
		const before = sandbox().tokenRequestCount();

		class StartedBeforeTheEdit extends EngineCredentialsHelper {
			private first = true;

			override async getDecrypted(...args: Parameters<EngineCredentialsHelper['getDecrypted']>) {
				if (!this.first) return await super.getDecrypted(...args);
				this.first = false;
				return { ...startedWith };
			}
		}
		const { error } = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			credentialsHelper: new StartedBeforeTheEdit(store),
			items: referralItems(2, 'EDITED'),
			mode: 'webhook',
		});

		expect(error?.message).toBe(CHANGED_WHILE_RUNNING_MESSAGE);
		expect(sandbox().tokenRequestCount()).toBe(before);
	});
});

describe('another node with the password credential (n8n 1.x, which cannot restrict it to the Enkash nodes)', () => {
	/** One call of a node that reads a balance through n8n's authenticated request with the credential. */
	const callOtherNode = (store: CredentialStore) =>
		runNode({
			parameters: { authentication: 'password' },
			credentials: store,
			nodeType: OTHER_NODE_TYPE,
			mode: 'webhook',
		});

	it('never sends a login Enkash has not accepted: 9 calls, no token request', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'never-accepted' });

		const calls = [];
		for (let call = 0; call < 9; call++) calls.push(await callOtherNode(store));

		expect(calls.map(({ error }) => error?.message)).toEqual(
			calls.map(() => expect.stringMatching(/^Enkash has not accepted this login yet/)),
		);
		expect(sandbox().tokenRequestCount()).toBe(0);
	});

	it('sends a login Enkash has accepted, renewing its token when it has none', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], sessionToken: '' };

		const { items, error } = await callOtherNode(store);

		expect(error).toBeUndefined();
		expect(items?.[0].json).toMatchObject({ response_code: 0 });
		expect(sandbox().tokenRequestCount()).toBe(2);
	});

	it('never sends a login Enkash refused', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong' });
		expect((await testCredential(store, PASSWORD_CREDENTIAL)).status).toBe('Error');

		const calls = [await callOtherNode(store), await callOtherNode(store)];

		expect(calls.map(({ error }) => error?.message)).toEqual(
			calls.map(() => expect.stringMatching(/^Enkash refused the token request/)),
		);
		expect(sandbox().tokenRequestCount()).toBe(1);
	});
});
