import { sleep, type ICredentialDataDecryptedObject, type WorkflowExecuteMode } from 'n8n-workflow';

import {
	isFresh,
	loginMemory,
	type RememberedToken,
} from '../../../credentials/common/login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_ADVICE,
	acceptedLoginOf,
	loginFingerprint,
	recordedTokenFailure,
	renewalWaitMs,
	renewsAt,
	tokenFailureMessage,
} from '../../../credentials/common/password-grant';
import { singleFlight } from '../../../credentials/common/single-flight';
import { storedToken } from '../../../credentials/common/token-client';

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

	/** The token whose renewal time {@link renewalTime} holds. */
	private timedToken: unknown;

	private renewalTime = 0;

	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		mode: WorkflowExecuteMode,
	) {
		this.login = loginFingerprint(data);
		this.adopt(loginMemory.freshToken(this.login));
		this.earlierFailureAt = recordedTokenFailure(data)?.at;
		this.unproven = !ATTENDED_MODES.has(mode) && acceptedLoginOf(data) === undefined;
	}

	/**
	 * Why nothing may be sent: Enkash refused the login (in this execution, an
	 * earlier one or another in this process), or the login is not proven and
	 * nobody is watching. A token request that failed without a refusal (the
	 * token endpoint unreachable) stops this execution only.
	 */
	problem(): LoginProblem | undefined {
		const recorded = recordedTokenFailure(this.data);
		const failedHere = recorded && recorded.at !== this.earlierFailureAt ? recorded : undefined;
		const failure = failedHere ?? loginMemory.refusal(this.login, recorded);
		if (failure) {
			return {
				message: tokenFailureMessage(failure, failure !== failedHere),
				description: TOKEN_FAILURE_ADVICE,
			};
		}
		if (this.unproven)
			return { message: UNPROVEN_LOGIN_MESSAGE, description: UNPROVEN_LOGIN_ADVICE };
		return undefined;
	}

	/**
	 * Keeps the token fresh before a send. A token this process obtained since
	 * the execution began is used as it is. When the token is due for renewal
	 * (see renewalShare) or Enkash has just answered 401 with
	 * `rejectedToken`, the stored credential is read again first, after this
	 * process's wait if the token is already unusable (renewalWaitMs):
	 * another process may have renewed the token, or been refused, and then
	 * nothing is sent. Otherwise the token is emptied, so that n8n asks the
	 * credential for a new one on the next send.
	 */
	async refresh(
		readStoredCredential: () => Promise<ICredentialDataDecryptedObject>,
		rejectedToken?: unknown,
	): Promise<void> {
		const now = Date.now();
		if (rejectedToken !== undefined) {
			// Another request of this execution has renewed it meanwhile.
			if (this.data[SESSION_TOKEN_FIELD] !== rejectedToken) return;
			loginMemory.forgetToken(this.login, rejectedToken);
		} else if (!this.data[SESSION_TOKEN_FIELD] || now < this.renewalTimeOfHeldToken()) {
			return;
		}
		if (this.adopt(loginMemory.freshToken(this.login, now))) return;

		const held = storedToken(this.data);
		const unusable =
			rejectedToken !== undefined || !held || now >= Date.parse(held.acceptedLogin.expiresAt);
		const stored = await sharedRead(this.login, async () => {
			if (unusable) await sleep(renewalWaitMs(held?.acceptedLogin));
			return await readStoredCredential();
		});
		if (this.adopt(loginMemory.freshToken(this.login))) return;
		const renewed = storedToken(stored);
		if (renewed?.value !== rejectedToken && isFresh(renewed, now)) {
			loginMemory.rememberToken(renewed);
			this.adopt(renewed);
			return;
		}
		const refusal = recordedTokenFailure(stored);
		if (refusal?.refused && refusal.login === this.login) loginMemory.rememberRefusal(refusal);
		this.data[SESSION_TOKEN_FIELD] = '';
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

/** Executions of one process that renew at the same moment share one read of the stored credential. */
const sharedRead = singleFlight<ICredentialDataDecryptedObject>();
