import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeBaseUrl } from './credential-parts';

import { LOGIN_BLOCKING_KINDS, type TokenFailureKind } from './token-answer';

/**
 * What the Enkash Coins Password API credential stores about its logins, in
 * hidden fields of the credential itself, and what the nodes read from them.
 *
 * A failed token request is kept in the credential. n8n stores what `preAuthentication` returns, so the
 * record reaches every later execution (and, in queue mode, every worker), and
 * the node reads it from the credential data it sends with instead of from the
 * error n8n wraps around the failure, whose details older n8n versions drop.
 *
 * Enkash locks an account after 3 refused token requests in a row: once Enkash
 * has refused a login, no execution sends it again. A person gets it back by
 * changing the values, or by testing the credential twice (token-client.ts).
 * Failures that are not refusals only hold token requests back for a cool-down.
 *
 * The fields are password fields, so that n8n's editor receives them redacted
 * and sends back what is stored, never a copy it loaded earlier.
 */
export interface TokenFailure {
	/** {@link loginFingerprint} of the values that failed. */
	login: string;
	/** When it failed, as an ISO date. */
	at: string;
	kind: TokenFailureKind;
	/** What happened, for example "Enkash refused the token request (HTTP 400: Bad credentials)". */
	message: string;
	/** What to do about it. */
	advice: string;
	/** For a failure that is not a refusal: when the next token request may be sent, as an ISO date. */
	retryAt?: string;
}

/**
 * The login Enkash last accepted, kept in the credential with the token it
 * issued. A login Enkash has accepted once is *proven*: only a proven login
 * may be sent by executions nobody watches (see nodes/shared/transport/password-login.ts).
 */
export interface AcceptedLogin {
	/** {@link loginFingerprint} of the values Enkash accepted. */
	login: string;
	/** When the token was issued, as an ISO date. */
	issuedAt: string;
	/** When the token expires, as an ISO date. */
	expiresAt: string;
}

/** Hidden fields of the password credential. */
export const SESSION_TOKEN_FIELD = 'sessionToken';
export const TOKEN_FAILURE_FIELD = 'tokenFailure';
export const ACCEPTED_LOGIN_FIELD = 'acceptedLogin';
export const RENEWAL_CLAIM_FIELD = 'renewalClaim';

/**
 * A process's claim to renew the token of a login, stored in the credential
 * before it asks Enkash. n8n gives community credentials no lock across
 * processes (queue-mode workers), and the stored credential is the only thing
 * they share: each process that is due to renew stores its claim, waits
 * {@link CLAIM_SETTLE_MS}, and reads the credential again. The last claim
 * stored wins; only its process sends the token request, and the others use
 * what it stores (a token, or Enkash's refusal). So a password changed at
 * Enkash costs one refusal, however many workers renew at once.
 */
export interface RenewalClaim {
	/** {@link loginFingerprint} of the login to renew. */
	login: string;
	/** Drawn by the claiming process for this claim. */
	id: string;
	/** When it was claimed, as an ISO date. */
	at: string;
}

/** What stops the send that carried a renewal claim to n8n's store; the node sends again. */
export const RENEWAL_CLAIM_STORED =
	'The claim to renew the Enkash token was stored; nothing was sent';

/** How long a process waits after storing its claim before it reads which claim won. */
export const CLAIM_SETTLE_MS = 1000;

/** How long a claim holds the other processes back: its process may have stopped. */
export const CLAIM_TTL_MS = 15_000;

/**
 * Enkash's text says its tokens are valid for 5 minutes, while its example
 * answer says `expires_in: 86399`: a token is taken to last no longer than this.
 */
export const DOCUMENTED_TOKEN_LIFETIME_SECONDS = 300;

export function tokenUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const tokenUrl = String(credentials.tokenUrl ?? '').trim();
	return tokenUrl || `${normalizeBaseUrl(credentials.baseUrl)}/oauth/token`;
}

/** A one-way digest of everything a token request logs in with. */
export function loginFingerprint(credentials: ICredentialDataDecryptedObject): string {
	const { clientId, clientSecret, username, password } = credentials;
	return createHash('sha256')
		.update(JSON.stringify([tokenUrlOf(credentials), clientId, clientSecret, username, password]))
		.digest('hex');
}

/**
 * The account a login logs in to: Enkash counts refusals per user, whatever
 * client or credential sends them.
 */
export function accountOf(credentials: ICredentialDataDecryptedObject): string {
	return JSON.stringify([tokenUrlOf(credentials), String(credentials.username ?? '').trim()]);
}

function parseRecord<T>(stored: unknown): Partial<T> | undefined {
	if (typeof stored !== 'string' || stored === '') return undefined;
	try {
		const parsed: unknown = JSON.parse(stored);
		return parsed && typeof parsed === 'object' ? (parsed as Partial<T>) : undefined;
	} catch {
		return undefined;
	}
}

/** The recorded failure of the credential's current login, if there is one. */
export function recordedTokenFailure(
	credentials: ICredentialDataDecryptedObject,
): TokenFailure | undefined {
	const failure = parseRecord<TokenFailure & { refused?: boolean }>(
		credentials[TOKEN_FAILURE_FIELD],
	);
	if (typeof failure?.message !== 'string' || typeof failure.at !== 'string') return undefined;
	if (failure.login !== loginFingerprint(credentials)) return undefined;
	// Records stored before failures had kinds said only whether Enkash refused the login.
	const kind = failure.kind ?? (failure.refused ? 'refused' : 'unavailable');
	return { advice: '', ...failure, kind } as TokenFailure;
}

export function tokenFailureRecord(
	credentials: ICredentialDataDecryptedObject,
	failure: Omit<TokenFailure, 'login' | 'at'>,
	now = new Date(),
): string {
	const record: TokenFailure = {
		login: loginFingerprint(credentials),
		at: now.toISOString(),
		...failure,
	};
	return JSON.stringify(record);
}

/** Whether the failure is about the login itself, so that sending it again counts towards the lockout. */
export function blocksLogin(failure: TokenFailure | undefined): failure is TokenFailure {
	return failure !== undefined && LOGIN_BLOCKING_KINDS.has(failure.kind);
}

/** A time as the messages show it: `2026-11-26 08:00:00 UTC`. */
export function utcTime(at: string | number): string {
	return `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Refusals in a row for one account after which only a person's second Test sends its login. */
export const LOCKOUT_GUARD_REFUSALS = 2;

/** A failure as the user reads it: for a cool-down, when the next token request may be sent. */
export function failureMessage(
	failure: Pick<TokenFailure, 'message' | 'retryAt'>,
	now = Date.now(),
): string {
	if (!failure.retryAt) return failure.message;
	const seconds = Math.max(0, Math.ceil((Date.parse(failure.retryAt) - now) / 1000));
	return `${failure.message}; the next token request is sent after ${utcTime(failure.retryAt)} (in ${seconds} s)`;
}

/** How long a person has, after a Test that sent nothing, to click Retry and send one token request. */
export const RETRY_WINDOW_SECONDS = 60;

/**
 * An execution stopped by a refusal remembered from earlier: when it happened,
 * that nothing was sent, and the two ways back.
 */
export function storedRefusalMessage(failure: TokenFailure): string {
	return `${failure.message} at ${utcTime(failure.at)}; not sent again until the credential is changed and saved, or tested twice`;
}

export const STORED_REFUSAL_ADVICE = `Nothing was sent to Enkash. Fix the values in the Enkash Coins Password API credential and save it; or, once Enkash has restored the password or unlocked the account, open the credential and click Test twice (the second click, within ${RETRY_WINDOW_SECONDS} s, sends one token request).`;

/** What the credential's Test says when it sends nothing for a refused login, and how to send one request. */
export function testHeldBackMessage(failure: TokenFailure): string {
	const what =
		failure.kind === 'locked'
			? `Enkash locked the account at ${utcTime(failure.at)} (${failure.message}). Ask Enkash to unlock it.`
			: `Enkash refused these values at ${utcTime(failure.at)} (${failure.message}). If you have changed them, save the credential.`;
	return `${what} Nothing was sent now. Once Enkash has restored the password or unlocked the account, click Retry within ${RETRY_WINDOW_SECONDS} s: that sends one token request.`;
}

/** What the credential's Test says when the account is one refusal away from being locked. */
export function testLockoutWarning(streak: { count: number; lastAt: number } | undefined): string {
	const { count = LOCKOUT_GUARD_REFUSALS, lastAt = Date.now() } = streak ?? {};
	return `Enkash has refused ${count} logins in a row for this username (the last at ${utcTime(lastAt)}): one more refused token request locks the account. Nothing was sent now. Check every value, then click Retry within ${RETRY_WINDOW_SECONDS} s to send one token request.`;
}

/** The claim to renew the current login's token, while it holds. */
export function renewalClaimOf(
	credentials: ICredentialDataDecryptedObject,
	now = Date.now(),
): RenewalClaim | undefined {
	const claim = parseRecord<RenewalClaim>(credentials[RENEWAL_CLAIM_FIELD]);
	if (typeof claim?.id !== 'string' || typeof claim.at !== 'string') return undefined;
	if (claim.login !== loginFingerprint(credentials)) return undefined;
	return now - Date.parse(claim.at) < CLAIM_TTL_MS ? (claim as RenewalClaim) : undefined;
}

/** The credential's accepted login, if it is the current one: the login is proven. */
export function acceptedLoginOf(
	credentials: ICredentialDataDecryptedObject,
): AcceptedLogin | undefined {
	const accepted = parseRecord<AcceptedLogin>(credentials[ACCEPTED_LOGIN_FIELD]);
	if (typeof accepted?.issuedAt !== 'string' || typeof accepted.expiresAt !== 'string')
		return undefined;
	if (accepted.login !== loginFingerprint(credentials)) return undefined;
	return accepted as AcceptedLogin;
}

/** How long a token lasts, from the `expires_in` (or `expiresIn`) Enkash sent with it. */
export function tokenLifetimeSeconds(expiresIn: unknown): number {
	const seconds = Number(expiresIn);
	if (!Number.isFinite(seconds) || seconds <= 0) return DOCUMENTED_TOKEN_LIFETIME_SECONDS;
	return Math.min(seconds, DOCUMENTED_TOKEN_LIFETIME_SECONDS);
}

export function acceptedLoginRecord(
	credentials: ICredentialDataDecryptedObject,
	lifetimeSeconds: number,
	now = new Date(),
): string {
	const record: AcceptedLogin = {
		login: loginFingerprint(credentials),
		issuedAt: now.toISOString(),
		expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000).toISOString(),
	};
	return JSON.stringify(record);
}

/** Seeds this process's draws: each n8n process has its own. */
const PROCESS_SEED = String(Math.random());

/** A number in [0, 1) this process draws for a seed (a token's issue time, a failure's time): the same on every call, another for the next seed. */
function processDraw(seed: string, purpose: string): number {
	const digest = createHash('sha256').update(`${PROCESS_SEED}/${seed}/${purpose}`).digest();
	return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * How early this process renews a token, as a share of the token's lifetime:
 * between 5 % and 25 %, drawn anew by each process for each token, so that the
 * n8n processes sharing a credential (queue-mode workers) do not all renew at
 * one moment. The first to renew stores the new token, or Enkash's refusal, in
 * the credential; the others re-read it at their own moment and send nothing.
 */
export function renewalShare(accepted: AcceptedLogin): number {
	return 0.05 + 0.2 * processDraw(accepted.issuedAt, 'share');
}

/** When this process renews the token of an accepted login, in epoch milliseconds. */
export function renewsAt(accepted: AcceptedLogin, share = renewalShare(accepted)): number {
	const issuedAt = Date.parse(accepted.issuedAt);
	const expiresAt = Date.parse(accepted.expiresAt);
	return expiresAt - (expiresAt - issuedAt) * share;
}

/** The longest a process waits before renewing a token that is already unusable. */
export const MAX_RENEWAL_WAIT_MS = 5000;

/**
 * How long this process waits before renewing a token that has already expired
 * or that Enkash has just refused (HTTP 401), or before asking again after a
 * token request that failed without a refusal, drawn like renewalShare. Every
 * process then finds the token unusable at the same moment (the first
 * executions after a quiet spell, or Enkash revoking its tokens), so each waits
 * its own time, and the first to renew has stored the new token, or Enkash's
 * refusal, before the others re-read the credential.
 */
export function renewalWaitMs(seed: string | undefined): number {
	return seed ? Math.round(processDraw(seed, 'wait') * MAX_RENEWAL_WAIT_MS) : 0;
}
