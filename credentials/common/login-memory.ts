import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	RETRY_WINDOW_SECONDS,
	renewsAt,
	type AcceptedLogin,
	type RenewalClaim,
	type TokenFailure,
} from './password-grant';

/** A token this process obtained or read, with the accepted-login record stored beside it. */
export interface RememberedToken {
	value: string;
	acceptedLogin: AcceptedLogin;
}

/** Whether it is not yet time for this process to renew the token. */
export function isFresh(token: RememberedToken | undefined, now: number): token is RememberedToken {
	return token !== undefined && now < renewsAt(token.acceptedLogin);
}

/** Token requests held back after failures that were not refusals. */
export interface CoolDown {
	/** Epoch milliseconds before which no token request is sent. */
	until: number;
	/** Failures in a row: the cool-down doubles with each. */
	failures: number;
	/** What the last failure was. */
	message: string;
}

/** Refusals in a row for one account (token URL and username), across credentials. */
export interface RefusalStreak {
	count: number;
	lastAt: number;
}

const tokens = new Map<string, RememberedToken>();
/** The last token Enkash refused (HTTP 401) for each login. */
const rejectedTokens = new Map<string, unknown>();
const refusals = new Map<string, TokenFailure>();
const coolDowns = new Map<string, CoolDown>();
const refusalStreaks = new Map<string, RefusalStreak>();
const retriesOffered = new Map<string, number>();
const ownClaims = new Map<string, RenewalClaim>();
let claimsToStore = new WeakMap<
	ICredentialDataDecryptedObject,
	{ fields: ICredentialDataDecryptedObject; handed: boolean }
>();
let executionCredentials = new WeakSet<ICredentialDataDecryptedObject>();

/**
 * What this n8n process last learned about each login (by its fingerprint):
 * the newest token Enkash issued for it, or Enkash's refusal of it, and the
 * cool-down after failures that were not refusals; and, per account, how many
 * logins Enkash refused in a row.
 *
 * n8n stores tokens and failures in the credential, but an execution reads the
 * credential once, when it starts: one that read it before the token or the
 * refusal was stored would otherwise ask Enkash again. Executions look here
 * first, so a process asks for a token once per token lifetime and sends a
 * refused login at most once. Processes share nothing in memory; they meet in
 * the stored credential, which an execution re-reads before it renews a token.
 */
export const loginMemory = {
	rememberToken(token: RememberedToken, account: string): void {
		const { login } = token.acceptedLogin;
		// Still stored in the credential until the renewal is: it is not a new token.
		if (rejectedTokens.get(login) === token.value) return;
		tokens.set(login, token);
		refusals.delete(login);
		coolDowns.delete(login);
		ownClaims.delete(login);
		refusalStreaks.delete(account);
	},

	rememberRefusal(refusal: TokenFailure): void {
		refusals.set(refusal.login, refusal);
		tokens.delete(refusal.login);
		ownClaims.delete(refusal.login);
	},

	/** Counts a refusal Enkash has just sent for the account; returns the refusals in a row. */
	countRefusal(account: string, now = Date.now()): RefusalStreak {
		const streak = { count: (refusalStreaks.get(account)?.count ?? 0) + 1, lastAt: now };
		refusalStreaks.set(account, streak);
		return streak;
	},

	refusalStreak(account: string): RefusalStreak | undefined {
		return refusalStreaks.get(account);
	},

	/** Holds token requests for the login back after a failure that was not a refusal. */
	coolDown(
		login: string,
		message: string,
		delayMs: (failures: number) => number,
		now = Date.now(),
	): CoolDown {
		const failures = (coolDowns.get(login)?.failures ?? 0) + 1;
		const coolDown = { until: now + delayMs(failures), failures, message };
		coolDowns.set(login, coolDown);
		ownClaims.delete(login);
		return coolDown;
	},

	/** The login's cool-down, while it lasts. */
	activeCoolDown(login: string, now = Date.now()): CoolDown | undefined {
		const coolDown = coolDowns.get(login);
		return coolDown && now < coolDown.until ? coolDown : undefined;
	},

	/** The login's token, unless it is time for this process to renew it. */
	freshToken(login: string, now = Date.now()): RememberedToken | undefined {
		const token = tokens.get(login);
		return isFresh(token, now) ? token : undefined;
	},

	/**
	 * Enkash's refusal of the login: the one `recorded` in the credential, or the
	 * one this process remembers. Either gives way to a login Enkash accepted
	 * after it (`accepted`, stored in the credential by another process's Test).
	 */
	refusal(
		login: string,
		recorded: TokenFailure | undefined,
		accepted?: AcceptedLogin,
	): TokenFailure | undefined {
		const refusal = recorded ?? refusals.get(login);
		if (!refusal) return undefined;
		if (accepted?.login === login && accepted.issuedAt > refusal.at) {
			refusals.delete(login);
			return undefined;
		}
		return refusal;
	},

	/** Enkash has refused this token (HTTP 401): it is not used again by this process. */
	forgetToken(login: string, value: unknown): void {
		rejectedTokens.set(login, value);
		if (tokens.get(login)?.value === value) tokens.delete(login);
	},

	wasRejected(login: string, value: unknown): boolean {
		return rejectedTokens.get(login) === value;
	},

	/**
	 * A Test that sent nothing offers to send one token request on the next Test
	 * of the same values within the retry window; this takes that offer, once.
	 */
	takeOfferedRetry(login: string, now = Date.now()): boolean {
		const offeredAt = retriesOffered.get(login);
		retriesOffered.delete(login);
		return offeredAt !== undefined && now - offeredAt <= RETRY_WINDOW_SECONDS * 1000;
	},

	offerRetry(login: string, now = Date.now()): void {
		retriesOffered.set(login, now);
	},

	/** This process's claim to renew the login's token, if it made one that has not been settled. */
	ownClaim(login: string): RenewalClaim | undefined {
		return ownClaims.get(login);
	},

	/**
	 * Makes this process's claim, to be stored through n8n on the execution's
	 * next send: `authenticate` asks n8n for new credential data the way a 401
	 * does (claimStage 'pending'), n8n's `preAuthentication` hands it the claim
	 * to store and sends nothing (handClaimToN8n), and the `authenticate` after
	 * it stops the request (claimStage 'handed'). The token the execution holds
	 * is left as it is, for the sends already under way.
	 */
	placeClaim(
		claim: RenewalClaim,
		credentials: ICredentialDataDecryptedObject,
		fields: ICredentialDataDecryptedObject,
	): void {
		ownClaims.set(claim.login, claim);
		claimsToStore.set(credentials, { fields, handed: false });
	},

	/** Whether this credential data carries a claim that its next send is to hand to n8n. */
	carriesClaim(credentials: ICredentialDataDecryptedObject): boolean {
		return claimsToStore.get(credentials)?.handed === false;
	},

	/** Where the claim carried by this credential data is on its way to n8n's store. */
	claimStage(credentials: ICredentialDataDecryptedObject): 'pending' | 'handed' | undefined {
		const claim = claimsToStore.get(credentials);
		if (!claim) return undefined;
		if (claim.handed) claimsToStore.delete(credentials);
		return claim.handed ? 'handed' : 'pending';
	},

	/** The fields for n8n to store for a pending claim; marks it handed. */
	handClaimToN8n(
		credentials: ICredentialDataDecryptedObject,
	): ICredentialDataDecryptedObject | undefined {
		const claim = claimsToStore.get(credentials);
		if (!claim || claim.handed) return undefined;
		claim.handed = true;
		return claim.fields;
	},

	/**
	 * Marks the credential data an execution of the Enkash Coins nodes sends
	 * with: its token requests follow the execution's rules and never take a
	 * retry offered to a person testing the credential.
	 */
	markExecution(credentials: ICredentialDataDecryptedObject): void {
		executionCredentials.add(credentials);
	},

	isExecution(credentials: ICredentialDataDecryptedObject): boolean {
		return executionCredentials.has(credentials);
	},

	/** Forgets everything, as a restarted process would. */
	clear(): void {
		tokens.clear();
		rejectedTokens.clear();
		refusals.clear();
		coolDowns.clear();
		refusalStreaks.clear();
		retriesOffered.clear();
		ownClaims.clear();
		claimsToStore = new WeakMap();
		executionCredentials = new WeakSet();
	},
};
