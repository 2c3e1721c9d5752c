import { sleep, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { loginMemory } from '../../../credentials/common/login-memory';
import {
	CLAIM_SETTLE_MS,
	LOGIN_STATE_FIELD,
	SESSION_TOKEN_FIELD,
	liveClaim,
	loginOf,
	newClaim,
	claimFields,
} from '../../../credentials/common/login-state';
import { TOKEN_REQUEST_TIMEOUT_MS } from '../../../credentials/common/token-answer';
import { loginHold, sendableToken, type LoginHold } from '../../../credentials/common/token-client';
import { singleFlight } from '../../../credentials/common/single-flight';

/** A renewal claim holds the other processes back for longer than the token request it covers can take. */
const CLAIM_HOLDS_MS = TOKEN_REQUEST_TIMEOUT_MS + 15_000;

/** While another process renews, the stored credential is read again this often. */
const LOOK_AGAIN_MS = 1000;

/** How long a send waits for another process's renewal before it gives up. */
const LONGEST_WAIT_MS = CLAIM_HOLDS_MS + 5000;

export const CHANGED_WHILE_RUNNING_MESSAGE =
	'The Enkash Coins Password API credential was changed while this execution ran: nothing more was sent with the values it started with';

const CHANGED_WHILE_RUNNING_ADVICE =
	'Run the workflow again: it then uses the credential as it is now. Items already sent are in the output; a rerun sends their Request IDs again, which Enkash declares unique.';

const WAITED_TOO_LONG_MESSAGE = `Another n8n process has been renewing the Enkash token for more than ${LONGEST_WAIT_MS / 1000} s: nothing was sent`;

const WAITED_TOO_LONG_ADVICE =
	'Enkash’s token endpoint may be slow or that process may have stopped. Run the workflow again in a minute.';

/** What stops the execution from sending anything, with what the user is told. */
export type LoginProblem = LoginHold;

/** The stored credential, as the transport reaches it through n8n. */
export interface StoredCredential {
	read(): Promise<ICredentialDataDecryptedObject>;
	/**
	 * Sends `carrier` through n8n's authenticated request, which makes n8n call
	 * the credential's `preAuthentication` and store what it returns; the request
	 * itself is stopped before it leaves (login-memory.ts, markCarrier).
	 */
	deliver(carrier: ICredentialDataDecryptedObject): Promise<void>;
}

/** What one look at the stored credential found; `elsewhere`: another process is renewing. */
interface Look {
	stored: ICredentialDataDecryptedObject;
	elsewhere: boolean;
}

/** Whether the stored credential settles the login without a token request. */
function needsNoRenewal(stored: ICredentialDataDecryptedObject): boolean {
	const token = sendableToken(stored);
	if (token && Date.now() < token.renewAt) return true;
	return loginHold(stored, false) !== undefined;
}

/**
 * Reads the stored credential and, if the login's token is due and nobody is
 * renewing it, renews it: n8n gives community credentials no lock across
 * processes (queue-mode workers), so the process stores a claim, waits
 * {@link CLAIM_SETTLE_MS}, and reads again. The claim stored last wins, and only
 * its process asks Enkash; the others use what it stores (a token, or Enkash's
 * refusal). The claim holds longer than the token request can take.
 */
async function look(login: string, credential: StoredCredential): Promise<Look> {
	let stored = await credential.read();
	let claimedInThisLook = false;
	for (;;) {
		if (loginOf(stored) !== login || needsNoRenewal(stored)) {
			return { stored, elsewhere: false };
		}
		const claim = liveClaim(stored, login);
		if (claim && claim.id !== loginMemory.ownClaim(login)) return { stored, elsewhere: true };
		// This process's claim, settled (or, just made, lost by n8n's store): only it renews.
		if (claim || claimedInThisLook) {
			const carrier = { ...stored, [SESSION_TOKEN_FIELD]: '' };
			loginMemory.markCarrier(carrier, null);
			// A refusal is in the carrier's data; another failure is a cool-down in the process's memory.
			await credential.deliver(carrier).catch(() => undefined);
			const token = carrier[SESSION_TOKEN_FIELD] || stored[SESSION_TOKEN_FIELD];
			return { stored: { ...carrier, [SESSION_TOKEN_FIELD]: token }, elsewhere: false };
		}
		const newOne = newClaim(login, CLAIM_HOLDS_MS);
		const carrier = { ...stored, [SESSION_TOKEN_FIELD]: '' };
		loginMemory.markCarrier(carrier, claimFields(stored, newOne));
		await credential.deliver(carrier);
		loginMemory.claimed(login, newOne.id);
		claimedInThisLook = true;
		await sleep(CLAIM_SETTLE_MS);
		stored = await credential.read();
	}
}

/** Executions of one process that need the same credential's token share one look. */
const sharedLook = singleFlight<Look>();

/** The password credential's login, as one execution uses it. */
export class PasswordLogin {
	readonly login: string;

	private changedWhileRunning = false;

	private waitedTooLong = false;

	/** While another process renews, when this execution reads the stored credential again. */
	private lookAgainAt = 0;

	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		private readonly credentialId: string,
		private readonly credential: StoredCredential,
	) {
		this.login = loginOf(data);
	}

	/**
	 * Why nothing may be sent: the credential changed while the execution ran;
	 * another process's renewal took too long; Enkash refused the login; Enkash
	 * has not accepted it yet; or token requests are in a cool-down.
	 */
	problem(): LoginProblem | undefined {
		if (this.changedWhileRunning) {
			return { message: CHANGED_WHILE_RUNNING_MESSAGE, description: CHANGED_WHILE_RUNNING_ADVICE };
		}
		if (this.waitedTooLong) {
			return { message: WAITED_TOO_LONG_MESSAGE, description: WAITED_TOO_LONG_ADVICE };
		}
		if (sendableToken(this.data)) return undefined;
		return loginHold(this.data, false);
	}

	/**
	 * Renews the token before a send when it is due (or Enkash refused it), so
	 * that every request goes out with a token: one look at the stored
	 * credential per process, shared by its executions. While another process
	 * renews, a token that still works is used, and one that does not is waited for.
	 */
	async beforeSend(): Promise<void> {
		const giveUpAt = Date.now() + LONGEST_WAIT_MS;
		for (;;) {
			const now = Date.now();
			const token = sendableToken(this.data, now);
			if (token && (now < token.renewAt || now < this.lookAgainAt)) return;
			if (this.problem()) return;
			if (now >= giveUpAt) {
				this.waitedTooLong = true;
				return;
			}
			const { stored, elsewhere } = await sharedLook(`${this.credentialId}/${this.login}`, () =>
				look(this.login, this.credential),
			);
			if (loginOf(stored) !== this.login) {
				this.changedWhileRunning = true;
				return;
			}
			this.data[SESSION_TOKEN_FIELD] = stored[SESSION_TOKEN_FIELD];
			this.data[LOGIN_STATE_FIELD] = stored[LOGIN_STATE_FIELD];
			this.lookAgainAt = Date.now() + LOOK_AGAIN_MS;
			if (!elsewhere) return;
			if (!sendableToken(this.data)) await sleep(LOOK_AGAIN_MS);
		}
	}

	/** Enkash answered 401 to `tokenSent`: it is never sent again, and the token is renewed. */
	async afterUnauthorized(tokenSent: unknown): Promise<void> {
		loginMemory.rejectToken(this.login, tokenSent);
		this.lookAgainAt = 0;
		await this.beforeSend();
	}
}
