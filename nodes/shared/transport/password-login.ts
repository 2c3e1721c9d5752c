import { randomUUID } from 'node:crypto';

import { sleep, type ICredentialDataDecryptedObject, type WorkflowExecuteMode } from 'n8n-workflow';

import {
	isFresh,
	loginMemory,
	type RememberedToken,
} from '../../../credentials/common/login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	CLAIM_SETTLE_MS,
	CLAIM_TTL_MS,
	RENEWAL_CLAIM_FIELD,
	RETRY_WINDOW_SECONDS,
	SESSION_TOKEN_FIELD,
	STORED_REFUSAL_ADVICE,
	TOKEN_FAILURE_FIELD,
	accountOf,
	acceptedLoginOf,
	blocksLogin,
	failureMessage,
	loginFingerprint,
	recordedTokenFailure,
	renewalClaimOf,
	renewalWaitMs,
	renewsAt,
	type TokenFailure,
} from '../../../credentials/common/password-grant';
import { singleFlight } from '../../../credentials/common/single-flight';
import {
	coolDownMessage,
	holdMessage,
	loginHold,
	storedToken,
} from '../../../credentials/common/token-client';

/**
 * Execution modes in which a login Enkash has not accepted yet may be sent: a
 * person is watching (a manual run, the trigger's Fetch Test Event), or the
 * run is alone in its own process (`n8n execute`). Everything else runs
 * unattended (webhooks, schedules, polls, queue-mode workers), where several
 * executions could each send a wrong password before any of them sees the
 * refusal, and three refusals in a row lock the Enkash account.
 */
const ATTENDED_MODES: ReadonlySet<WorkflowExecuteMode> = new Set(['manual', 'cli']);

export const UNPROVEN_LOGIN_MESSAGE =
	'This Enkash login has not been accepted yet: open the credential and click Test (one token request), or run the workflow once by hand';

export const UNPROVEN_LOGIN_ADVICE =
	'Enkash locks the account after 3 refused token requests in a row, so workflows that run unattended (webhooks, schedules, triggers, queue-mode workers) only send a login Enkash has already accepted. A new or edited Enkash Coins Password API credential is accepted by its Test button or by one manual run of a workflow that uses it; nothing has been sent to Enkash.';

export const CHANGED_WHILE_RUNNING_MESSAGE =
	'The Enkash Coins Password API credential was changed while this execution ran: nothing more was sent with the values it started with';

const CHANGED_WHILE_RUNNING_ADVICE =
	'Run the workflow again: it then uses the credential as it is now. Items already sent are in the output; with a stable Request ID, a rerun credits nobody twice.';

const LOCKOUT_GUARD_ADVICE = `Nothing was sent to Enkash. Check the Username and Password with Enkash, fix the credential, then open it and click Test twice (the second click, within ${RETRY_WINDOW_SECONDS} s, sends one token request). Once Enkash accepts a login of this username, workflows run again.`;

const COOL_DOWN_ADVICE =
	'The login was not refused: nothing counts towards the lockout. Enkash’s token endpoint failed a moment ago, so this n8n process waits before asking again; the next run after that time tries again.';

/** What stops the execution from sending anything, with what the user is told. */
export interface LoginProblem {
	message: string;
	description: string;
}

/** The password credential's login, as one execution uses it. */
export class PasswordLogin {
	/** {@link loginFingerprint} of the credential's login. */
	readonly login: string;

	/** When the failure the credential held as the execution began happened: an earlier execution's. */
	private readonly earlierFailureAt?: string;

	private readonly unproven: boolean;

	/** A re-read found the stored credential's login changed since the execution began. */
	private changedWhileRunning = false;

	/** The token Enkash last refused in this execution (HTTP 401). */
	private rejectedToken: unknown;

	/** When a process that lets another renew checks the stored credential again. */
	private nextCheckAt = 0;

	private claimsPlaced = 0;

	/** The token whose renewal time {@link renewalTime} holds. */
	private timedToken: unknown;

	private renewalTime = 0;

	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
	) {
		this.login = loginFingerprint(data);
		loginMemory.markExecution(data);
		this.adopt(loginMemory.freshToken(this.login));
		this.earlierFailureAt = recordedTokenFailure(data)?.at;
		this.unproven = !ATTENDED_MODES.has(mode) && acceptedLoginOf(data) === undefined;
	}

	/**
	 * Why nothing may be sent: the credential changed while the execution ran;
	 * a token request failed in this execution; Enkash refused the login (in an
	 * earlier execution, another process or another of this process's
	 * executions), or refused the account's logins twice in a row; token
	 * requests are in a cool-down after a failure that was not a refusal; or
	 * the login is not proven and nobody is watching.
	 */
	problem(): LoginProblem | undefined {
		if (this.changedWhileRunning) {
			return { message: CHANGED_WHILE_RUNNING_MESSAGE, description: CHANGED_WHILE_RUNNING_ADVICE };
		}
		const recorded = recordedTokenFailure(this.data);
		if (recorded && recorded.at !== this.earlierFailureAt) {
			return { message: failureMessage(recorded), description: recorded.advice };
		}
		const hold = loginHold(this.data);
		const held = holdMessage(hold);
		if (held) {
			return {
				message: held,
				description: hold.refusal ? STORED_REFUSAL_ADVICE : LOCKOUT_GUARD_ADVICE,
			};
		}
		const coolDown = this.coolDown(recorded);
		if (coolDown) return coolDown;
		if (this.unproven)
			return { message: UNPROVEN_LOGIN_MESSAGE, description: UNPROVEN_LOGIN_ADVICE };
		return undefined;
	}

	/** A cool-down after a failure that was not a refusal: this process's, or one stored by another. */
	private coolDown(recorded: TokenFailure | undefined): LoginProblem | undefined {
		const remembered = loginMemory.activeCoolDown(this.login);
		if (remembered) {
			return { message: coolDownMessage(remembered), description: COOL_DOWN_ADVICE };
		}
		if (recorded?.retryAt && Date.now() < Date.parse(recorded.retryAt)) {
			return { message: failureMessage(recorded), description: recorded.advice };
		}
		return undefined;
	}

	/**
	 * Keeps the token fresh before a send. A token this process obtained since
	 * the execution began is used as it is. When the token is due for renewal
	 * (see renewalShare), Enkash has just answered 401 with `rejectedToken`, or
	 * an earlier token request failed, the stored credential is read again
	 * first, after this process's wait if the token is already unusable
	 * (renewalWaitMs): another process may have renewed the token, been
	 * refused, or the credential may have been changed, and then nothing is
	 * sent with this execution's values. Otherwise the processes due to renew
	 * settle who does through renewal claims (see RenewalClaim): the winner's
	 * token is emptied, so that n8n asks the credential for a new one on the
	 * next send; the others keep a usable token meanwhile, or wait.
	 */
	async refresh(
		readStoredCredential: () => Promise<ICredentialDataDecryptedObject>,
		rejectedToken?: unknown,
	): Promise<void> {
		// The next send stores this execution's claim; only then can the claim settle.
		if (loginMemory.carriesClaim(this.data)) return;
		const now = Date.now();
		const heldValue = this.data[SESSION_TOKEN_FIELD];
		const claiming = loginMemory.ownClaim(this.login) !== undefined;
		if (rejectedToken !== undefined) {
			// Another request of this execution has renewed it meanwhile.
			if (heldValue !== rejectedToken) return;
			loginMemory.forgetToken(this.login, rejectedToken);
			this.rejectedToken = rejectedToken;
		} else if (
			!claiming &&
			(heldValue ? now < this.renewalTimeOfHeldToken() : !recordedTokenFailure(this.data))
		) {
			// A token not yet due, or none ever: n8n asks the credential for the first one.
			return;
		}
		const held = storedToken(this.data);
		const unusable =
			!held || this.isRejected(held.value) || now >= Date.parse(held.acceptedLogin.expiresAt);
		if (!unusable && now < this.nextCheckAt) return;
		let waitMs =
			unusable && !claiming
				? renewalWaitMs(held?.acceptedLogin.issuedAt ?? recordedTokenFailure(this.data)?.at)
				: 0;
		for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
			if (this.adopt(loginMemory.freshToken(this.login))) return;
			if (this.problem()) return;
			const wait = waitMs;
			const stored = await sharedRead(this.login, async () => {
				await sleep(wait);
				return await readStoredCredential();
			});
			if (loginFingerprint(stored) !== this.login) {
				this.changedWhileRunning = true;
				return;
			}
			if (this.adopt(loginMemory.freshToken(this.login))) return;
			const renewed = storedToken(stored);
			if (renewed && !this.isRejected(renewed.value) && isFresh(renewed, Date.now())) {
				loginMemory.rememberToken(renewed, accountOf(stored));
				this.adopt(renewed);
				return;
			}
			const failure = recordedTokenFailure(stored);
			if (blocksLogin(failure)) loginMemory.rememberRefusal(failure);
			// Another process's cool-down holds this execution back too (see problem()).
			if (failure?.retryAt) this.data[TOKEN_FAILURE_FIELD] = stored[TOKEN_FAILURE_FIELD];
			if (this.problem()) return;

			const turn = this.renewalTurn(stored);
			if (turn === 'renew') break;
			if (turn === 'claim') {
				this.placeClaim();
				return;
			}
			if (turn.settling === false && !unusable) {
				// Another process renews: the held token still works meanwhile.
				this.nextCheckAt = Date.now() + CLAIM_SETTLE_MS;
				return;
			}
			waitMs = turn.waitMs;
		}
		this.data[SESSION_TOKEN_FIELD] = '';
	}

	/**
	 * Whose turn it is to renew, from the claim stored in the credential: this
	 * process's once its claim has settled, another's while its claim holds.
	 */
	private renewalTurn(
		stored: ICredentialDataDecryptedObject,
	): 'renew' | 'claim' | { waitMs: number; settling: boolean } {
		const now = Date.now();
		const own = loginMemory.ownClaim(this.login);
		const settlesAt = own ? Date.parse(own.at) + CLAIM_SETTLE_MS : 0;
		const claim = renewalClaimOf(stored, now);
		// A claim that n8n did not store after a few tries is not worth waiting for.
		if (this.claimsPlaced >= MAX_CLAIMS_PLACED) return 'renew';
		if (own && claim?.id === own.id) {
			return now >= settlesAt ? 'renew' : { waitMs: settlesAt - now, settling: true };
		}
		if (claim) return { waitMs: CLAIM_SETTLE_MS, settling: false };
		// This process's claim may not be stored yet.
		if (own && now < settlesAt) return { waitMs: settlesAt - now, settling: true };
		return 'claim';
	}

	/** Stores this process's claim through n8n on the next send, which sends nothing to Enkash (see send.ts). */
	private placeClaim(): void {
		const claim = { login: this.login, id: randomUUID(), at: new Date().toISOString() };
		loginMemory.placeClaim(claim, this.data, {
			[SESSION_TOKEN_FIELD]: this.data[SESSION_TOKEN_FIELD] ?? '',
			[RENEWAL_CLAIM_FIELD]: JSON.stringify(claim),
		});
		this.claimsPlaced += 1;
	}

	/** Refused by Enkash in this execution, or in another of this process's. */
	private isRejected(token: unknown): boolean {
		return token === this.rejectedToken || loginMemory.wasRejected(this.login, token);
	}

	private renewalTimeOfHeldToken(): number {
		const token = this.data[SESSION_TOKEN_FIELD];
		if (token !== this.timedToken) {
			const held = storedToken(this.data);
			this.timedToken = token;
			this.renewalTime = held ? renewsAt(held.acceptedLogin) : 0;
		}
		return this.renewalTime;
	}

	private adopt(token: RememberedToken | undefined): boolean {
		if (!token) return false;
		this.data[SESSION_TOKEN_FIELD] = token.value;
		this.data[ACCEPTED_LOGIN_FIELD] = JSON.stringify(token.acceptedLogin);
		return true;
	}
}

/** Reads of the stored credential one renewal makes at most, waiting for claims to settle or expire. */
const MAX_CLAIM_ROUNDS = Math.ceil(CLAIM_TTL_MS / CLAIM_SETTLE_MS) + 2;
const MAX_CLAIMS_PLACED = 3;

/** Executions of one process that renew at the same moment share one read of the stored credential. */
const sharedRead = singleFlight<ICredentialDataDecryptedObject>();
