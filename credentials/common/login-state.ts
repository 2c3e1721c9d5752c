import { createHash, randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeBaseUrl } from './credential-parts';

/**
 * What the Enkash Coins Password API credential stores about its logins, and
 * the one rule it keeps: a login Enkash refused is never sent again.
 *
 * A *login* is everything a token request sends (Token URL, Client ID, Client
 * Secret, Username, Password) plus the credential's Login Attempt. Enkash
 * locks an account after 3 refused token requests in a row, so a login Enkash
 * refused stays refused: a person sends it once more only by changing a value,
 * or by raising Login Attempt, and saving.
 *
 * n8n stores what the credential's `preAuthentication` returns, so this record
 * reaches every later execution and every queue-mode worker. It is a password
 * field: n8n's editor receives it redacted and sends back what is stored.
 */
export const SESSION_TOKEN_FIELD = 'sessionToken';
export const LOGIN_STATE_FIELD = 'loginState';
export const LOGIN_ATTEMPT_FIELD = 'loginAttempt';
/**
 * The renewal claim, apart from the record: a process stores its claim from
 * what it read a moment before, and n8n stores each field it is given whole, so
 * a claim stored beside the record could undo a refusal stored meanwhile.
 */
export const RENEWAL_CLAIM_FIELD = 'renewalClaim';

export type RefusalKind = 'refused' | 'locked';

export interface Refusal {
	/** {@link loginOf} the values Enkash refused. */
	login: string;
	/** When, as an ISO date. */
	at: string;
	kind: RefusalKind;
	/** What Enkash answered, for example "Enkash refused the token request (HTTP 400: Bad credentials)". */
	message: string;
	/** Which values to check. */
	advice: string;
	/** Refused logins in a row for the username, this one included. */
	inARow: number;
}

/** A process's claim to renew the token (see nodes/shared/transport/password-login.ts). */
export interface RenewalClaim {
	login: string;
	id: string;
	/** When it was made, and until when it holds the other processes back, as ISO dates. */
	at: string;
	until: string;
}

export interface LoginState {
	/** Drawn when the credential first stores a record, so that a process can tell two credentials of one username apart; empty before. */
	credential: string;
	/** The login the stored token was issued for; when it is to be renewed, and when it expires. */
	token?: { login: string; renewAt: string; expiresAt: string };
	/** Logins Enkash accepted, newest last. */
	accepted: string[];
	/** Logins Enkash refused, newest last. */
	refused: Refusal[];
	/** Refused logins in a row for the credential's username (token URL and username). */
	inARow?: { account: string; count: number };
}

/** Records kept of each kind; Enkash locks the account long before a refusal would be dropped. */
const RECORDS_KEPT = 10;

/**
 * Enkash's text says its tokens are valid for 5 minutes, while its example
 * answer says `expires_in: 86399`: a token is taken to last no longer than this.
 */
const DOCUMENTED_TOKEN_LIFETIME_SECONDS = 300;

/** A token is renewed once this share of its lifetime has passed. */
const RENEW_AT_SHARE = 0.8;

/** A token is not sent in the last second of its lifetime: the request could arrive after it. */
const EXPIRY_MARGIN_MS = 1000;

export function tokenUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const tokenUrl = String(credentials.tokenUrl ?? '').trim();
	return tokenUrl || `${normalizeBaseUrl(credentials.baseUrl)}/oauth/token`;
}

/** Login Attempt as a whole number of 1 or more; what a person raises to send a refused login again. */
export function loginAttemptOf(credentials: ICredentialDataDecryptedObject): number {
	const attempt = Math.trunc(Number(credentials[LOGIN_ATTEMPT_FIELD] ?? 1));
	return Number.isFinite(attempt) && attempt >= 1 ? attempt : 1;
}

/** A one-way digest of the login: what a token request sends, and Login Attempt. */
export function loginOf(credentials: ICredentialDataDecryptedObject): string {
	const { clientId, clientSecret, username, password } = credentials;
	const values = [tokenUrlOf(credentials), clientId, clientSecret, username, password];
	return createHash('sha256')
		.update(JSON.stringify([...values, loginAttemptOf(credentials)]))
		.digest('hex');
}

/** The account a login logs in to: Enkash counts refusals per user, whatever credential sends them. */
export function accountOf(credentials: ICredentialDataDecryptedObject): string {
	return JSON.stringify([tokenUrlOf(credentials), String(credentials.username ?? '').trim()]);
}

export function readLoginState(credentials: ICredentialDataDecryptedObject): LoginState {
	let stored: Partial<LoginState> = {};
	try {
		const parsed: unknown = JSON.parse(String(credentials[LOGIN_STATE_FIELD] || '{}'));
		if (parsed && typeof parsed === 'object') stored = parsed as Partial<LoginState>;
	} catch {
		// An unreadable record is no record.
	}
	return {
		...stored,
		credential: typeof stored.credential === 'string' ? stored.credential : '',
		accepted: Array.isArray(stored.accepted) ? stored.accepted : [],
		refused: Array.isArray(stored.refused) ? stored.refused : [],
	};
}

export function refusalOf(state: LoginState, login: string): Refusal | undefined {
	return state.refused.find((refusal) => refusal.login === login);
}

export function isAccepted(state: LoginState, login: string): boolean {
	return state.accepted.includes(login);
}

/** Refused logins in a row that the stored record counts for the account. */
export function refusalsInARow(state: LoginState, account: string): number {
	return state.inARow?.account === account ? state.inARow.count : 0;
}

/** The stored claim to renew the login's token, while it holds. */
export function liveClaim(
	credentials: ICredentialDataDecryptedObject,
	login: string,
	now = Date.now(),
): RenewalClaim | undefined {
	let claim: Partial<RenewalClaim> | undefined;
	try {
		claim = JSON.parse(String(credentials[RENEWAL_CLAIM_FIELD] || 'null')) ?? undefined;
	} catch {
		return undefined;
	}
	const holds = claim?.login === login && typeof claim.id === 'string';
	return holds && now < Date.parse(String(claim!.until)) ? (claim as RenewalClaim) : undefined;
}

export interface HeldToken {
	/** {@link loginOf} the credential's values, which the token was issued for. */
	login: string;
	value: string;
	renewAt: number;
	usableUntil: number;
}

/** The stored token, if it was issued for the credential's current login. */
export function heldToken(credentials: ICredentialDataDecryptedObject): HeldToken | undefined {
	const value = credentials[SESSION_TOKEN_FIELD];
	const { token } = readLoginState(credentials);
	if (typeof value !== 'string' || value === '' || token?.login !== loginOf(credentials))
		return undefined;
	return {
		login: token.login,
		value,
		renewAt: Date.parse(token.renewAt),
		usableUntil: Date.parse(token.expiresAt) - EXPIRY_MARGIN_MS,
	};
}

/** How long a token lasts, from the `expires_in` (or `expiresIn`) Enkash sent with it. */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
	const seconds = Number(expiresIn);
	if (!Number.isFinite(seconds) || seconds <= 0) return DOCUMENTED_TOKEN_LIFETIME_SECONDS;
	return Math.min(seconds, DOCUMENTED_TOKEN_LIFETIME_SECONDS);
}

const newestKept = <T>(records: T[]) => records.slice(-RECORDS_KEPT);

/** The record after Enkash issued a token for the login: accepted, the token's. */
export function withToken(
	state: LoginState,
	login: string,
	lifetimeSeconds: number,
	now = Date.now(),
): LoginState {
	const at = (share: number) => new Date(now + lifetimeSeconds * 1000 * share).toISOString();
	return {
		...state,
		token: { login, renewAt: at(RENEW_AT_SHARE), expiresAt: at(1) },
		accepted: newestKept([...state.accepted.filter((each) => each !== login), login]),
		inARow: undefined,
	};
}

/** The record after Enkash refused the login: refused, no longer accepted. */
export function withRefusal(state: LoginState, refusal: Refusal, account: string): LoginState {
	return {
		...state,
		token: state.token?.login === refusal.login ? undefined : state.token,
		accepted: state.accepted.filter((each) => each !== refusal.login),
		refused: newestKept([...state.refused, refusal]),
		inARow: { account, count: refusal.inARow },
	};
}

/** How long a process waits after storing its claim before it reads whose claim was stored last. */
export const CLAIM_SETTLE_MS = 1000;

export function newClaim(login: string, holdsForMs: number, now = Date.now()): RenewalClaim {
	return {
		login,
		id: randomUUID(),
		at: new Date(now).toISOString(),
		until: new Date(now + holdsForMs).toISOString(),
	};
}

/**
 * What n8n is to store after Enkash answered: the token, the record, and the
 * renewal claim settled.
 */
export function storedFields(
	credentials: ICredentialDataDecryptedObject,
	state: LoginState,
	token = String(credentials[SESSION_TOKEN_FIELD] ?? ''),
): ICredentialDataDecryptedObject {
	const record: LoginState = { ...state, credential: state.credential || randomUUID() };
	return {
		[SESSION_TOKEN_FIELD]: token,
		[LOGIN_STATE_FIELD]: JSON.stringify(record),
		[RENEWAL_CLAIM_FIELD]: '',
	};
}

/** What n8n is to store for a claim: the claim, and the token field, which n8n stores only beside it. */
export function claimFields(
	credentials: ICredentialDataDecryptedObject,
	claim: RenewalClaim,
): ICredentialDataDecryptedObject {
	return {
		[SESSION_TOKEN_FIELD]: String(credentials[SESSION_TOKEN_FIELD] ?? ''),
		[RENEWAL_CLAIM_FIELD]: JSON.stringify(claim),
	};
}

/** A time as the messages show it: `2026-11-26 08:00:00 UTC`. */
export function utcTime(at: string | number): string {
	return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
