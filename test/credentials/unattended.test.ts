/**
 * The password credential where nobody watches: executions renew a token
 * before they send, one token request per renewal, and use what another
 * process (a queue-mode worker) has stored: its token, its claim to renew, or
 * Enkash's refusal.
 */
import { loginMemory } from '../../credentials/common/login-memory';
import {
	LOGIN_STATE_FIELD,
	newClaim,
	readLoginState,
	loginOf,
} from '../../credentials/common/login-state';
import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import { runNode, type CredentialStore } from '../helpers/n8n-engine';
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

const storedState = (store: CredentialStore) => readLoginState(store[PASSWORD_CREDENTIAL]);

describe('renewing before sending', () => {
	it('20 executions at once, their token refused by Enkash as expired: all credit their user, with one token request, and the claim is settled', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		sandbox().expireAllTokens();
		const before = sandbox().tokenRequestCount();

		const runs = await Promise.all(Array.from({ length: 20 }, () => allocateWith(store, 1)));

		expect(runs.map(({ items }) => items?.[0].json.allocated)).toEqual(Array(20).fill(true));
		expect(sandbox().tokenRequestCount()).toBe(before + 1);
		expect(storedState(store).claim).toBeUndefined();
	});

	it("another process's live claim: the execution keeps using the token it holds and sends no token request", async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const data = store[PASSWORD_CREDENTIAL];
		const state = readLoginState(data);
		// The token is due for renewal, and another worker has claimed it.
		state.token = { ...state.token!, renewAt: new Date(Date.now() - 1000).toISOString() };
		state.claim = newClaim(loginOf(data), 45_000);
		data[LOGIN_STATE_FIELD] = JSON.stringify(state);
		const before = sandbox().tokenRequestCount();

		const { items } = await allocateWith(store);

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(sandbox().tokenRequestCount()).toBe(before);
		expect(storedState(store).claim?.id).toBe(state.claim.id);
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
