import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeBaseUrl } from './credential-parts';

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
 * has refused a login, the same login is not sent again until the user edits
 * the credential, which changes the fingerprint and so clears the record.
 */
export interface TokenFailure {
	/** {@link loginFingerprint} of the values that failed. */
	login: string;
	/** When it failed, as an ISO date. */
	at: string;
	/** What the user is told, for example "Enkash refused the token request (HTTP 400: Bad credentials)". */
	message: string;
	/** Enkash answered and refused the login; asking again with it counts towards the lockout. */
	refused: boolean;
}

/**
 * The login Enkash last accepted, kept in the credential with the token it
 * issued. A login Enkash has accepted once is *proven*: only a proven login
 * may be sent by executions nobody watches (see unattended.ts).
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

/**
 * Enkash's text says its tokens are valid for 5 minutes, while its example
 * answer says `expires_in: 86399`: a token is taken to last no longer than this.
 */
export const DOCUMENTED_TOKEN_LIFETIME_SECONDS = 300;

export const TOKEN_FAILURE_ADVICE =
	'Check the client ID, client secret, username and password of the Enkash Coins Password API credential. Enkash locks the account after 3 failed token requests in a row, so a refused login is not sent again until the credential is edited.';

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
	const failure = parseRecord<TokenFailure>(credentials[TOKEN_FAILURE_FIELD]);
	if (typeof failure?.message !== 'string' || typeof failure.at !== 'string') return undefined;
	if (failure.login !== loginFingerprint(credentials)) return undefined;
	return failure as TokenFailure;
}

export function tokenFailureRecord(
	credentials: ICredentialDataDecryptedObject,
	failure: { message: string; refused: boolean },
	now = new Date(),
): string {
	const record: TokenFailure = {
		login: loginFingerprint(credentials),
		at: now.toISOString(),
		...failure,
	};
	return JSON.stringify(record);
}

/**
 * The message for a recorded failure. A refusal remembered from an earlier
 * execution says when it happened, and that the login was not sent again.
 */
export function tokenFailureMessage(failure: TokenFailure, remembered: boolean): string {
	if (!remembered || !failure.refused) return failure.message;
	const when = `${failure.at.slice(0, 19).replace('T', ' ')} UTC`;
	return `${failure.message} at ${when}; not sent again until the credential is edited`;
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

/** A number in [0, 1) this process draws for a token: the same on every call, another for the next token. */
function processDraw(accepted: AcceptedLogin, purpose: string): number {
	const digest = createHash('sha256')
		.update(`${PROCESS_SEED}/${accepted.issuedAt}/${purpose}`)
		.digest();
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
	return 0.05 + 0.2 * processDraw(accepted, 'share');
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
 * or that Enkash has just refused (HTTP 401), drawn like renewalShare. Every
 * process then finds the token unusable at the same moment (the first
 * executions after a quiet spell, or Enkash revoking its tokens), so each waits
 * its own time, and the first to renew has stored the new token, or Enkash's
 * refusal, before the others re-read the credential.
 */
export function renewalWaitMs(accepted: AcceptedLogin | undefined): number {
	return accepted ? Math.round(processDraw(accepted, 'wait') * MAX_RENEWAL_WAIT_MS) : 0;
}
