/**
 * The password credential's one rule, as n8n's editor drives it: a login
 * (its values and Login Attempt) Enkash refused is never sent again, and only
 * the credential's own test (on Save and each time its dialog opens; Retry
 * sends the same test) sends a login Enkash has not accepted. Enkash locks an
 * account after 3 refused token requests in a row.
 */
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import { useAllocationSandbox } from '../helpers/allocate';
import { runNode, testCredential, type CredentialStore } from '../helpers/n8n-engine';
import { apiRequests, credentialsFor, proveLogin } from '../helpers/sandbox';

const { sandbox } = useAllocationSandbox();
const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

let executions = 0;
/** A webhook execution of Allocation › Allocate with the credential as n8n stores it. */
function allocateWith(store: CredentialStore, mode: 'webhook' | 'manual' = 'webhook') {
	executions += 1;
	return runNode({
		parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
		credentials: store,
		items: referralItems(2, `W${executions}U`),
		mode,
	});
}

/** Opening the credential's dialog, clicking Retry, or Save without changes: the same test. */
const openDialog = (store: CredentialStore) => testCredential(store, PASSWORD_CREDENTIAL);

/** Save with changed values: n8n stores them, then tests them. */
async function save(store: CredentialStore, changes: Record<string, unknown>) {
	store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], ...changes } as never;
	return await openDialog(store);
}

const tokenRequests = () => sandbox().tokenRequestCount();

/** Three refused token requests from another client of the account: Enkash locks it. */
async function lockFromElsewhere() {
	const { clientId, clientSecret, username } = sandbox().credentials;
	for (let refusal = 0; refusal < 3; refusal++) {
		await fetch(`${sandbox().url}/oauth/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({ username, password: 'wrong', grant_type: 'password' }).toString(),
		});
	}
	expect(sandbox().isLocked()).toBe(true);
}

/** A proven credential whose password was then changed at Enkash: refused once, by an execution. */
async function refusedAfterRotation() {
	const store = await proveLogin(credentialsFor(sandbox(), 'password'));
	const { password } = sandbox().credentials;
	sandbox().changePassword('changed-at-enkash');
	sandbox().expireAllTokens();
	const refused = await allocateWith(store);
	expect(refused.error?.message).toMatch(/^Enkash refused the token request/);
	return { store, password };
}

describe('a login Enkash refused is never sent again', () => {
	it('opening the dialog 6 times and Retry 3 times send nothing; the message says what to change', async () => {
		const { store } = await refusedAfterRotation();
		const before = tokenRequests();

		const answers = [];
		for (let click = 0; click < 9; click++) answers.push(await openDialog(store));

		expect(tokenRequests()).toBe(before);
		for (const answer of answers) {
			expect(answer.status).toBe('Error');
			expect(answer.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* UTC\. Values Enkash refused are never sent again: opening the credential, Save with the same values and Retry send nothing\. Correct the Username or Password in the credential and Save\. If Enkash has since restored these values, raise Login Attempt by one and Save: that sends one token request\.$/,
			);
		}
	});

	it('executions of every kind send it no more, and say so', async () => {
		const { store } = await refusedAfterRotation();
		const before = tokenRequests();

		const runs = [await allocateWith(store), await allocateWith(store, 'manual')];

		expect(tokenRequests()).toBe(before);
		expect(runs.map(({ error }) => error?.description)).toEqual(
			runs.map(() => expect.stringMatching(/^Nothing was sent to Enkash\./)),
		);
	});

	it('once Enkash restores the password, raising Login Attempt and saving sends exactly 1 token request, and executions allocate', async () => {
		const { store, password } = await refusedAfterRotation();
		sandbox().changePassword(password);
		const before = tokenRequests();

		const saved = await save(store, { loginAttempt: 2 });
		const runs = [];
		for (let call = 0; call < 9; call++) runs.push(await allocateWith(store));

		expect(saved.status).toBe('OK');
		expect(tokenRequests()).toBe(before + 1);
		expect(runs.flatMap(({ items }) => items?.map(({ json }) => json.allocated))).toEqual(
			Array(18).fill(true),
		);
	});

	it('a test of values that are not saved keeps the stored login refused: executions still send nothing', async () => {
		const { store } = await refusedAfterRotation();

		const guess = await testCredential(store, PASSWORD_CREDENTIAL, { password: 'a-wrong-guess' });
		const before = tokenRequests();
		const apiBefore = apiRequests(sandbox()).length;
		const run = await allocateWith(store);

		expect(guess.message).toMatch(/^Enkash refused the token request/);
		expect(run.error?.message).toMatch(/^Enkash refused the token request .* at /);
		expect(tokenRequests()).toBe(before);
		expect(apiRequests(sandbox())).toHaveLength(apiBefore);
	});
});

describe('changed values are a new login, tested at once on Save', () => {
	it('the second refusal in a row warns, in its own message, that one more locks the account; the right password is then sent at once', async () => {
		const store = credentialsFor(sandbox(), 'password');
		const { password } = sandbox().credentials;

		const first = await save(store, { password: 'wrong-1' });
		const second = await save(store, { password: 'wrong-2' });
		const right = await save(store, { password });

		expect(first.message).not.toMatch(/locks the account/);
		expect(second.message).toMatch(
			/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* UTC\. That is 2 refused logins in a row for this username: one more refused token request locks the account/,
		);
		expect(right.status).toBe('OK');
		expect(tokenRequests()).toBe(3);
		expect(sandbox().isLocked()).toBe(false);
	});

	it('a credential never tested is sent by no execution, manual or not', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'never-tested' });

		const runs = [await allocateWith(store), await allocateWith(store, 'manual')];

		expect(runs.map(({ error }) => error?.message)).toEqual(
			runs.map(
				() =>
					'Enkash has not accepted this login yet: open the Enkash Coins Password API credential and Save it, which tests it with one token request',
			),
		);
		expect(tokenRequests()).toBe(0);
	});
});

describe('a locked account', () => {
	it('the message says both steps; once Enkash unlocks it, raising Login Attempt and saving sends 1 token request', async () => {
		const store = credentialsFor(sandbox(), 'password');
		await lockFromElsewhere();
		const lockedBefore = tokenRequests();

		const locked = await openDialog(store);
		const reopened = await openDialog(store);
		sandbox().unlockAccount();
		const before = tokenRequests();
		const saved = await save(store, { loginAttempt: 2 });

		expect(locked.message).toMatch(
			/^Enkash has locked the account \(HTTP 400: User account is locked\) at .* Ask Enkash to unlock the account; once it is unlocked, raise Login Attempt by one and Save: that sends one token request\.$/,
		);
		expect(reopened.message).toBe(locked.message);
		expect(before).toBe(lockedBefore + 1);
		expect(saved.status).toBe('OK');
		expect(tokenRequests()).toBe(before + 1);
	});
});

describe('answers that are not refusals', () => {
	it("a Token URL that is not the token endpoint (Spring's 401 Full authentication is required): the message names the Token URL, and nothing is held back", async () => {
		const tokenUrl = `${sandbox().url}/api/v0/oauth/token`;
		sandbox().addFault({
			kind: 'custom',
			status: 401,
			match: { path: '/api/v0/oauth/token' },
			body: JSON.stringify({
				error: 'unauthorized',
				error_description: 'Full authentication is required to access this resource',
			}),
		});
		const store = credentialsFor(sandbox(), 'password', { tokenUrl });

		const typo = await openDialog(store);
		const fixed = await save(store, { tokenUrl: '' });

		expect(typo.message).toMatch(
			new RegExp(`^${tokenUrl} answered HTTP 401: Full authentication is required .*Token URL`),
		);
		expect(JSON.parse(String(store[PASSWORD_CREDENTIAL].loginState)).refused).toEqual([]);
		expect(fixed.status).toBe('OK');
	});

	it('one 429 is no refusal: a person sending it again gets a token', async () => {
		const store = credentialsFor(sandbox(), 'password');
		sandbox().addFault({ kind: 'status', status: 429, match: { path: '/oauth/token' }, times: 1 });

		const throttled = await openDialog(store);
		const retried = await openDialog(store);

		expect(throttled.message).toMatch(/^Enkash's token endpoint is throttling requests/);
		expect(retried.status).toBe('OK');
	});
});

describe('one username, one count', () => {
	it('credentials of one username count their refusals together, and the answers say another credential has it', async () => {
		const stores = [1, 2].map(() => credentialsFor(sandbox(), 'password'));
		// Two credentials of one API user, each stored once already, as n8n's editor stores them.
		for (const store of stores) await proveLogin(store);

		const first = await save(stores[0], { password: 'wrong-1' });
		const second = await save(stores[1], { password: 'wrong-2' });

		expect(first.message).toMatch(
			/Another Enkash Coins Password API credential in this n8n has the same username/,
		);
		expect(second.message).toMatch(
			/That is 2 refused logins in a row for this username: one more refused token request locks the account/,
		);
		expect(second.message).toMatch(/Keep one credential per Enkash API user\.$/);
	});
});
