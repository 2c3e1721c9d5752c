import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeBaseUrl } from '../../../credentials/shared/credential-parts';

/**
 * A failed token request of the Enkash Coins Password API credential, kept in
 * the credential itself. n8n stores what `preAuthentication` returns, so the
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

/** Hidden fields of the password credential. */
export const SESSION_TOKEN_FIELD = 'sessionToken';
export const TOKEN_FAILURE_FIELD = 'tokenFailure';

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

/** The recorded failure of the credential's current login, if there is one. */
export function recordedTokenFailure(
	credentials: ICredentialDataDecryptedObject,
): TokenFailure | undefined {
	const stored = credentials[TOKEN_FAILURE_FIELD];
	if (typeof stored !== 'string' || stored === '') return undefined;
	let failure: Partial<TokenFailure>;
	try {
		failure = JSON.parse(stored) as Partial<TokenFailure>;
	} catch {
		return undefined;
	}
	if (typeof failure.message !== 'string' || typeof failure.at !== 'string') return undefined;
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
