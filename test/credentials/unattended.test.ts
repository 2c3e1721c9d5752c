/**
 * The password credential where nobody watches: unattended executions send
 * only a login Enkash has accepted, and one n8n process remembers its last
 * token and refusal, so executions that read the credential before either was
 * stored send nothing more. Enkash locks an account after 3 refused token
 * requests in a row.
 */
import { sleep, type ICredentialDataDecryptedObject, type WorkflowExecuteMode } from 'n8n-workflow';

import { loginMemory } from '../../credentials/common/login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	RENEWAL_CLAIM_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	acceptedLoginRecord,
	loginFingerprint,
	tokenFailureRecord,
} from '../../credentials/common/password-grant';
import { UNPROVEN_LOGIN_MESSAGE } from '../../nodes/shared/transport/password-login';
import { useAllocationSandbox } from '../helpers/allocate';
import { ALLOCATE_FROM_INPUT, referralItems } from '../helpers/fixtures';
import {
	EngineCredentialsHelper,
	runNode,
	type CredentialStore,
	type NodeSettings,
} from '../helpers/n8n-engine';
import { apiRequests, credentialsFor, proveLogin } from '../helpers/sandbox';

const { sandbox } = useAllocationSandbox();
const PASSWORD_CREDENTIAL = 'enkashCoinsPasswordApi';

/**
 * n8n's credential store, read by the execution when it starts as it was at
 * `staleRead` (the moment an execution read it before another stored a token or
 * a refusal), and as it is now on every later read.
 */
class StaleFirstRead extends EngineCredentialsHelper {
	private staleReads = 1;

	constructor(
		store: CredentialStore,
		private readonly staleRead: CredentialStore,
	) {
		super(store);
	}

	override async getDecrypted(...args: Parameters<EngineCredentialsHelper['getDecrypted']>) {
		if (this.staleReads-- > 0) {
			this.decryptions++;
			return { ...this.staleRead[args[2]] };
		}
		return await super.getDecrypted(...args);
	}
}

interface Execution {
	store: CredentialStore;
	mode?: WorkflowExecuteMode;
	staleRead?: CredentialStore;
	items?: number;
	settings?: NodeSettings;
}

let executions = 0;
/** One execution of Allocation › Allocate with the password credential, each crediting other users. */
function allocateWith({ store, mode = 'webhook', staleRead, items = 3, settings }: Execution) {
	executions += 1;
	return runNode({
		parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
		credentials: store,
		credentialsHelper: staleRead ? new StaleFirstRead(store, staleRead) : undefined,
		items: referralItems(items, `E${executions}U`),
		settings,
		mode,
	});
}

const snapshot = (store: CredentialStore): CredentialStore => ({
	[PASSWORD_CREDENTIAL]: { ...store[PASSWORD_CREDENTIAL] },
});

function tokenRequests() {
	const sent = sandbox().requests.filter(({ path }) => path === '/oauth/token');
	return { sent: sent.length, refused: sent.filter(({ outcome }) => outcome !== 'ok').length };
}

/** 6 executions at once, then 3 one after another, all having read the credential at `staleRead`. */
async function sixAtOnceThenThree(store: CredentialStore, staleRead: CredentialStore) {
	const atOnce = await Promise.all(
		Array.from({ length: 6 }, () => allocateWith({ store, staleRead })),
	);
	const later = [];
	for (let run = 0; run < 3; run++) later.push(await allocateWith({ store, staleRead }));
	return [...atOnce, ...later];
}

describe('a login Enkash has not accepted yet', () => {
	it.each<WorkflowExecuteMode>(['webhook', 'trigger', 'retry', 'integrated', 'internal'])(
		'is not sent by an unattended execution (%s): it fails before sending anything, saying what to do',
		async (mode) => {
			const store = credentialsFor(sandbox(), 'password');

			const { error, items } = await allocateWith({ store, mode });

			expect(items).toBeUndefined();
			expect(error?.message).toBe(UNPROVEN_LOGIN_MESSAGE);
			expect(error?.description).toMatch(/Test button or by one manual run/);
			expect(sandbox().requests).toEqual([]);
		},
	);

	it('fails every item with "On Error: Continue", sending nothing', async () => {
		const store = credentialsFor(sandbox(), 'password');

		const { items } = await allocateWith({
			store,
			items: 4,
			settings: { onError: 'continueRegularOutput' },
		});

		expect(items?.map(({ json }) => json.error)).toEqual(
			Array.from({ length: 4 }, () => UNPROVEN_LOGIN_MESSAGE),
		);
		expect(sandbox().requests).toEqual([]);
	});

	it.each<WorkflowExecuteMode>(['manual', 'cli'])(
		'is sent by an attended execution (%s), which proves it for the unattended ones',
		async (mode) => {
			const store = credentialsFor(sandbox(), 'password');

			const attended = await allocateWith({ store, mode });
			const unattended = await allocateWith({ store });

			expect(attended.items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
			expect(unattended.items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
			expect(tokenRequests()).toEqual({ sent: 1, refused: 0 });
			expect(JSON.parse(String(store[PASSWORD_CREDENTIAL][ACCEPTED_LOGIN_FIELD]))).toEqual({
				login: loginFingerprint(store[PASSWORD_CREDENTIAL]),
				issuedAt: expect.any(String),
				expiresAt: expect.any(String),
			});
		},
	);

	it('is what an edited credential holds: editing the password makes the next unattended run wait for a test', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], password: 'edited-password' };

		const { error } = await allocateWith({ store });

		expect(error?.message).toBe(UNPROVEN_LOGIN_MESSAGE);
		expect(tokenRequests()).toEqual({ sent: 1, refused: 0 });
	});

	it('a wrong password never used: 6 webhook executions at once, then 3, send no token request', async () => {
		const store = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });

		const runs = await sixAtOnceThenThree(store, snapshot(store));

		expect(runs.map(({ error }) => error?.message)).toEqual(runs.map(() => UNPROVEN_LOGIN_MESSAGE));
		expect(tokenRequests()).toEqual({ sent: 0, refused: 0 });
		expect(apiRequests(sandbox())).toEqual([]);
	});
});

describe('one process remembers its last token and refusal', () => {
	it('executions that read the credential before a renewed token was stored share that token', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const staleRead = snapshot(store);
		sandbox().expireAllTokens();

		const runs = await sixAtOnceThenThree(store, staleRead);

		expect(runs.flatMap(({ items }) => items?.map(({ json }) => json.allocated))).toEqual(
			Array.from({ length: 27 }, () => true),
		);
		// One for the proof, one renewal after the expiry.
		expect(tokenRequests()).toEqual({ sent: 2, refused: 0 });
		const refusedApiCalls = apiRequests(sandbox()).filter(({ outcome }) => outcome === '401');
		expect(refusedApiCalls.length).toBeLessThanOrEqual(6);
	});

	it('a password rotated at Enkash, its tokens expired: one refused token request in all', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const staleRead = snapshot(store);
		sandbox().changePassword('rotated-at-enkash');
		sandbox().expireAllTokens();

		const runs = await sixAtOnceThenThree(store, staleRead);

		expect(tokenRequests()).toEqual({ sent: 2, refused: 1 });
		for (const { error } of runs) {
			expect(error?.message).toMatch(
				/^Enkash refused the token request \(HTTP 400: Bad credentials\)/,
			);
		}
		expect(runs.slice(6).map(({ error }) => error?.message)).toEqual(
			runs
				.slice(6)
				.map(() =>
					expect.stringMatching(
						/not sent again until the credential is changed and saved, or tested twice$/,
					),
				),
		);
		expect(sandbox().allocations()).toEqual([]);
	});

	it('20 executions at once with the right password, proven: no token request beyond the proof', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const staleRead = snapshot(store);

		const runs = await Promise.all(
			Array.from({ length: 20 }, () => allocateWith({ store, staleRead, items: 1 })),
		);

		expect(runs.map(({ items }) => items?.[0].json.allocated)).toEqual(runs.map(() => true));
		expect(tokenRequests()).toEqual({ sent: 1, refused: 0 });
	});

	it('20 executions at once with the right password, proven, its tokens refused as expired: all credit their user, with one token request, time after time', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const tokenRequestsPerRound = [];
		for (let round = 0; round < 3; round++) {
			sandbox().expireAllTokens();
			const sentBefore = tokenRequests().sent;

			const runs = await Promise.all(
				Array.from({ length: 20 }, () => allocateWith({ store, items: 1 })),
			);

			expect(runs.map(({ error, items }) => error?.message ?? items?.[0].json.allocated)).toEqual(
				runs.map(() => true),
			);
			tokenRequestsPerRound.push(tokenRequests().sent - sentBefore);
		}
		expect(tokenRequestsPerRound).toEqual([1, 1, 1]);
	}, 60_000);

	it('executions that start while others renew a token Enkash refused as expired do not bring that token back: all credit their user, with one token request', async () => {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		await allocateWith({ store, items: 1 });
		sandbox().expireAllTokens();
		const sentBefore = tokenRequests().sent;

		const runs = await Promise.all(
			Array.from({ length: 30 }, async (_, index) => {
				await sleep(index < 10 ? 0 : (index - 10) * 300);
				return await allocateWith({ store, items: 1 });
			}),
		);

		expect(runs.map(({ error, items }) => error?.message ?? items?.[0].json.allocated)).toEqual(
			runs.map(() => true),
		);
		expect(tokenRequests().sent - sentBefore).toBe(1);
	}, 60_000);
});

describe('renewing a token before it expires', () => {
	/** The proven store, its token due for renewal in every process: it expires within a second. */
	async function dueStore() {
		const store = await proveLogin(credentialsFor(sandbox(), 'password'));
		const data = store[PASSWORD_CREDENTIAL];
		data[ACCEPTED_LOGIN_FIELD] = acceptedLoginRecord(data, 300, new Date(Date.now() - 299_000));
		loginMemory.clear();
		return store;
	}

	/** What another n8n process stored in the credential meanwhile. */
	function storedByAnotherProcess(store: CredentialStore, fields: ICredentialDataDecryptedObject) {
		const staleRead = snapshot(store);
		store[PASSWORD_CREDENTIAL] = { ...store[PASSWORD_CREDENTIAL], ...fields };
		return staleRead;
	}

	it('renews once, before Enkash refuses the token, when no other process has', async () => {
		const store = await dueStore();
		const dueToken = store[PASSWORD_CREDENTIAL][SESSION_TOKEN_FIELD];

		const { items } = await allocateWith({ store });

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(tokenRequests()).toEqual({ sent: 2, refused: 0 });
		expect(apiRequests(sandbox()).map(({ outcome }) => outcome)).toEqual(['ok', 'ok', 'ok']);
		expect(store[PASSWORD_CREDENTIAL][SESSION_TOKEN_FIELD]).not.toBe(dueToken);
	});

	it('uses the token another process has just stored, re-reading the credential, and sends no token request', async () => {
		const store = await dueStore();
		const freshToken = sandbox().issueToken();
		const data = store[PASSWORD_CREDENTIAL];
		const staleRead = storedByAnotherProcess(store, {
			[SESSION_TOKEN_FIELD]: freshToken,
			[ACCEPTED_LOGIN_FIELD]: acceptedLoginRecord(data, 300),
		});

		const { items } = await allocateWith({ store, staleRead });

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(tokenRequests()).toEqual({ sent: 1, refused: 0 });
		expect(
			apiRequests(sandbox()).map(({ headers }) => headers.authorization === `Bearer ${freshToken}`),
		).toEqual([true, true, true]);
	});

	it('stores its claim to renew before it asks Enkash, and clears it with the answer', async () => {
		const store = await dueStore();
		const claimsStored: string[] = [];
		class RecordingClaims extends EngineCredentialsHelper {
			override async preAuthentication(
				...args: Parameters<EngineCredentialsHelper['preAuthentication']>
			) {
				const result = await super.preAuthentication(...args);
				// n8n stores what preAuthentication returns; undefined stores nothing.
				if (result) claimsStored.push(String(this.store[PASSWORD_CREDENTIAL][RENEWAL_CLAIM_FIELD]));
				return result;
			}
		}

		const { items } = await runNode({
			parameters: { authentication: 'password', ...ALLOCATE_FROM_INPUT } as never,
			credentials: store,
			credentialsHelper: new RecordingClaims(store),
			items: referralItems(3, 'CLAIM'),
			mode: 'webhook',
		});

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		// The claim is stored first, and the token request's answer clears it.
		expect(claimsStored).toEqual([
			expect.stringMatching(/^\{"login":"[0-9a-f]{64}","id":"[0-9a-f-]{36}","at":"[^"]+"\}$/),
			'',
		]);
		expect(tokenRequests()).toEqual({ sent: 2, refused: 0 });
	});

	it("lets another process's claim to renew stand: keeps using the token it holds and sends no token request", async () => {
		const store = await dueStore();
		const data = store[PASSWORD_CREDENTIAL];
		const anotherClaim = {
			login: loginFingerprint(data),
			id: 'another',
			at: new Date().toISOString(),
		};
		store[PASSWORD_CREDENTIAL] = { ...data, [RENEWAL_CLAIM_FIELD]: JSON.stringify(anotherClaim) };

		const { items } = await allocateWith({ store });

		expect(items?.map(({ json }) => json.allocated)).toEqual([true, true, true]);
		expect(tokenRequests()).toEqual({ sent: 1, refused: 0 });
	});

	it('stops at the refusal another process has just stored, sending nothing', async () => {
		const store = await dueStore();
		const data = store[PASSWORD_CREDENTIAL];
		const staleRead = storedByAnotherProcess(store, {
			[SESSION_TOKEN_FIELD]: '',
			[TOKEN_FAILURE_FIELD]: tokenFailureRecord(data, {
				kind: 'refused',
				message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
				advice: 'Check the Username and Password.',
			}),
		});
		const sentBefore = sandbox().requests.length;

		const { error } = await allocateWith({ store, staleRead });

		expect(error?.message).toMatch(
			/not sent again until the credential is changed and saved, or tested twice$/,
		);
		expect(sandbox().requests.length).toBe(sentBefore);
	});
});
