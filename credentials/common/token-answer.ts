import type { IDataObject } from 'n8n-workflow';

/**
 * What an answer of Enkash's token endpoint means, and what the user is told.
 *
 * Enkash locks an account after 3 refused token requests in a row, so only an
 * answer that refuses the login itself counts: the rest (throttling, a wrong
 * address, Enkash or a gateway failing) says nothing about the login and is
 * tried again after a cool-down.
 */
export type TokenFailureKind =
	/** The login is wrong: 400 `invalid_grant` (Bad credentials), 401 `invalid_client`. */
	| 'refused'
	/** The account is locked or disabled: only Enkash can undo it. */
	| 'locked'
	/** 429, with or without Retry-After. */
	| 'throttled'
	/** Not Enkash's token endpoint: 404, 405, a redirect, a page that is not OAuth2's JSON. */
	| 'wrongAddress'
	/** No usable answer: 5xx, a timeout, no connection, a 200 without a token. */
	| 'unavailable';

export interface ClassifiedFailure {
	kind: TokenFailureKind;
	message: string;
	/** What to do, for the user. */
	advice: string;
	/** How long Enkash asked to wait (Retry-After), if it said. */
	retryAfterMs?: number;
}

/** What came back from one token request that did not yield a token. */
export interface TokenAttempt {
	tokenUrl: string;
	status?: number;
	body?: unknown;
	headers?: IDataObject;
	/** For a request that got no answer: the network code (ECONNREFUSED, ...) or the error's text. */
	networkFailure?: string;
	/** For an answer without a usable token: what was wrong with it. */
	unusableAnswer?: string;
}

/** The timeout of a token request: a login answers in well under a second, or not at all. */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ECONNABORTED: `no answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`,
	ETIMEDOUT: `no answer within ${TOKEN_REQUEST_TIMEOUT_MS / 1000} s`,
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'host name lookup failed',
};

const LOCKED = /\b(locked|disabled|expired)\b/i;

function parsedBody(body: unknown): IDataObject | undefined {
	let data = body;
	if (typeof data === 'string') {
		try {
			data = JSON.parse(data);
		} catch {
			return undefined;
		}
	}
	return data && typeof data === 'object' && !Array.isArray(data)
		? (data as IDataObject)
		: undefined;
}

/** Enkash's reason, as Spring Security OAuth2 (and other OAuth2 servers) word it. */
function reasonOf(body: IDataObject | undefined): string | undefined {
	const reason = body?.error_description ?? body?.error ?? body?.message;
	return typeof reason === 'string' && reason !== '' ? reason : undefined;
}

/** Seconds or an HTTP date, as in RFC 9110; undefined when absent or unreadable. */
export function retryAfterMsOf(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const CHECK_ADDRESS =
	'Check the credential’s Base URL, and its Token URL if one is set: the token endpoint is {Base URL}/oauth/token unless Enkash gave you another.';

/** Classifies a token request that yielded no token, with the message and advice for it. */
export function classifyTokenFailure(attempt: TokenAttempt): ClassifiedFailure {
	const { status, tokenUrl } = attempt;
	if (status === undefined) {
		const what =
			attempt.unusableAnswer ??
			`could not be reached (${NETWORK_WORDS[attempt.networkFailure ?? ''] ?? attempt.networkFailure ?? 'no answer'})`;
		return {
			kind: 'unavailable',
			message: `Enkash's token endpoint ${what}`,
			advice:
				'The login was not refused: nothing counts towards the lockout. The next run tries again after a short wait; if it keeps failing, check that n8n can reach the Base URL.',
		};
	}
	const body = parsedBody(attempt.body);
	const reason = reasonOf(body);
	const answered = `HTTP ${status}${reason ? `: ${reason}` : ''}`;
	if (status === 429) {
		return {
			kind: 'throttled',
			message: `Enkash's token endpoint is throttling requests (${answered})`,
			advice:
				'The login was not refused. The node waits as long as Enkash asks (or a few seconds) before it asks for a token again.',
			retryAfterMs: retryAfterMsOf(attempt.headers?.['retry-after']),
		};
	}
	if (status >= 500) {
		return {
			kind: 'unavailable',
			message: `Enkash's token endpoint failed (${answered})`,
			advice:
				'The login was not refused: nothing counts towards the lockout. The next run tries again after a short wait.',
		};
	}
	// Spring answers a request that reached no token endpoint this way: the Token URL is wrong.
	if (status === 401 && reason && /full authentication is required/i.test(reason)) {
		return {
			kind: 'wrongAddress',
			message: `${tokenUrl} answered ${answered}: that is not Enkash's token endpoint, so the Token URL (or the Base URL) is wrong`,
			advice: `The login was not refused. ${CHECK_ADDRESS}`,
		};
	}
	// An OAuth2 server answers a login it refuses with JSON naming the error.
	const oauthError = typeof body?.error === 'string';
	if ((status === 400 || status === 401 || (status === 403 && oauthError)) && body) {
		if (reason && LOCKED.test(reason)) {
			return {
				kind: 'locked',
				message: `Enkash has locked the account (${answered})`,
				advice: 'Ask Enkash to unlock the API user’s account.',
			};
		}
		const clientRefused = status === 401 || /client/i.test(String(body.error ?? ''));
		return {
			kind: 'refused',
			message: `Enkash refused the token request (${answered})`,
			advice: clientRefused
				? 'Correct the Client ID or Client Secret in the credential and Save.'
				: 'Correct the Username or Password in the credential and Save.',
		};
	}
	if (status === 401 || status === 400) {
		// Refused, but not in OAuth2's words: counted as a refusal to be safe.
		return {
			kind: 'refused',
			message: `Enkash refused the token request (${answered})`,
			advice:
				'Correct the Client ID, Client Secret, Username or Password in the credential and Save.',
		};
	}
	const gateway = status === 403 ? ' (a gateway or firewall in front of Enkash?)' : '';
	return {
		kind: 'wrongAddress',
		message: `${tokenUrl} answered ${answered}${gateway}: it did not answer as Enkash's token endpoint`,
		advice: `The login was not refused. ${CHECK_ADDRESS}`,
	};
}
