import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import type { Refusal } from './login-state';

/** Token requests held back after a failure that was not a refusal. */
export interface CoolDown {
	/** Epoch milliseconds before which no unattended token request is sent. */
	until: number;
	/** Failures in a row: the cool-down doubles with each. */
	failures: number;
	message: string;
}

interface LoginMemo {
	refusal?: Refusal;
	coolDown?: CoolDown;
	/** The last token Enkash refused with HTTP 401: stored until the renewal is, and never sent again. */
	rejectedToken?: unknown;
	/** The id of the renewal claim this process stored last: while it holds, only this process renews. */
	ownClaim?: string;
}

interface AccountMemo {
	inARow: number;
	/** The credentials ({@link LoginState.credential}) seen with this account. */
	credentials: Set<string>;
}

/** Stops the request a carrier rides on, once n8n has stored what it carried (see markCarrier). */
export class CarrierDelivered extends Error {
	constructor() {
		super('Stored in the credential; nothing was sent');
	}
}

const logins = new Map<string, LoginMemo>();
const accounts = new Map<string, AccountMemo>();
let attendedTests = new WeakSet<ICredentialDataDecryptedObject>();
interface Carrier {
	/** What `preAuthentication` returns for n8n to store; null: a token request's outcome. */
	fields: ICredentialDataDecryptedObject | null;
	/** n8n has stored it and `authenticate` has stopped the request it rode on. */
	delivered: boolean;
}

let carriers = new WeakMap<ICredentialDataDecryptedObject, Carrier>();

const loginMemo = (login: string) => logins.get(login) ?? logins.set(login, {}).get(login)!;
const accountMemo = (account: string) =>
	accounts.get(account) ??
	accounts.set(account, { inARow: 0, credentials: new Set() }).get(account)!;

/**
 * What this n8n process knows beyond the credential data an execution read
 * when it started: refusals and 401s it has just seen, cool-downs, refusals in
 * a row per account (token URL and username) across credentials, and which
 * credential data n8n's credential test is using. Processes share nothing in
 * memory; they meet in the stored credential.
 */
export const loginMemory = {
	refusal: (login: string) => logins.get(login)?.refusal,

	rememberRefusal(refusal: Refusal, account: string): void {
		loginMemo(refusal.login).refusal = refusal;
		accountMemo(account).inARow = refusal.inARow;
	},

	rememberAcceptance(login: string, account: string): void {
		const memo = loginMemo(login);
		memo.coolDown = undefined;
		accountMemo(account).inARow = 0;
	},

	inARow: (account: string) => accounts.get(account)?.inARow ?? 0,

	/** Notes a credential of the account; says whether the process knows another one. */
	noteCredential(account: string, credential: string): boolean {
		const { credentials } = accountMemo(account);
		credentials.add(credential);
		return credentials.size > 1;
	},

	coolDown(login: string, now = Date.now()): CoolDown | undefined {
		const coolDown = logins.get(login)?.coolDown;
		return coolDown && now < coolDown.until ? coolDown : undefined;
	},

	/** Starts or lengthens the login's cool-down; `delayMs` gets the failures in a row. */
	startCoolDown(
		login: string,
		message: string,
		delayMs: (failures: number) => number,
		now = Date.now(),
	): CoolDown {
		const memo = loginMemo(login);
		const failures = (memo.coolDown?.failures ?? 0) + 1;
		memo.coolDown = { until: now + delayMs(failures), failures, message };
		return memo.coolDown;
	},

	claimed(login: string, claimId: string): void {
		loginMemo(login).ownClaim = claimId;
	},

	ownClaim: (login: string) => logins.get(login)?.ownClaim,

	rejectToken(login: string, token: unknown): void {
		loginMemo(login).rejectedToken = token;
	},

	wasRejected: (login: string, token: unknown) => logins.get(login)?.rejectedToken === token,

	/**
	 * n8n's credential test sends the credential's own test request
	 * (credential-parts.ts) with this data: its token requests are a person's.
	 */
	markAttended(credentials: ICredentialDataDecryptedObject): void {
		attendedTests.add(credentials);
	},

	isAttended: (credentials: ICredentialDataDecryptedObject) => attendedTests.has(credentials),

	/**
	 * Marks credential data that only carries something to n8n's store: n8n
	 * calls `preAuthentication` for it and stores what that returns (`fields`,
	 * for a renewal claim; a token request's outcome, for `null`), and the
	 * request it rides on is never sent.
	 */
	markCarrier(
		credentials: ICredentialDataDecryptedObject,
		fields: ICredentialDataDecryptedObject | null,
	): void {
		carriers.set(credentials, { fields, delivered: false });
	},

	carriedFields: (credentials: ICredentialDataDecryptedObject) => carriers.get(credentials)?.fields,

	/**
	 * Called by `authenticate` for carrier data, whose request it then stops:
	 * whether the data is a carrier. The flag stays on the carrier, since n8n
	 * wraps the error `authenticate` throws, and n8n 1.x drops its cause.
	 */
	deliver(credentials: ICredentialDataDecryptedObject): boolean {
		const carrier = carriers.get(credentials);
		if (carrier) carrier.delivered = true;
		return carrier !== undefined;
	},

	wasDelivered: (credentials: ICredentialDataDecryptedObject) =>
		carriers.get(credentials)?.delivered === true,

	/** Forgets everything, as a restarted process would. */
	clear(): void {
		logins.clear();
		accounts.clear();
		attendedTests = new WeakSet();
		carriers = new WeakMap();
	},
};
