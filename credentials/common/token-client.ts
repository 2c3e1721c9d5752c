import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import {
	loginMemory,
	isFresh,
	type CoolDown,
	type RefusalStreak,
	type RememberedToken,
} from './login-memory';
import {
	ACCEPTED_LOGIN_FIELD,
	RENEWAL_CLAIM_FIELD,
	SESSION_TOKEN_FIELD,
	TOKEN_FAILURE_FIELD,
	LOCKOUT_GUARD_REFUSALS,
	accountOf,
	acceptedLoginOf,
	acceptedLoginRecord,
	blocksLogin,
	failureMessage,
	loginFingerprint,
	recordedTokenFailure,
	storedRefusalMessage,
	testHeldBackMessage,
	testLockoutWarning,
	tokenFailureRecord,
	tokenLifetimeSeconds,
	tokenUrlOf,
	utcTime,
	type AcceptedLogin,
	type TokenFailure,
} from './password-grant';
import { singleFlight } from './single-flight';
import {
	LOGIN_BLOCKING_KINDS,
	TOKEN_REQUEST_TIMEOUT_MS,
	classifyTokenFailure,
	type ClassifiedFailure,
	type TokenAttempt,
} from './token-answer';

/** What n8n stores in the credential after a token request: a token, or why there is none. */
export type TokenOutcome = {
	[SESSION_TOKEN_FIELD]: string;
	[TOKEN_FAILURE_FIELD]: string;
	[ACCEPTED_LOGIN_FIELD]?: string;
	/** Emptied by every answer of Enkash: the claim to renew is settled. */
	[RENEWAL_CLAIM_FIELD]?: string;
};

/** The first cool-down after a failure that is not a refusal; it doubles with each failure in a row. */
const FIRST_COOL_DOWN_MS = 2000;
const LONGEST_COOL_DOWN_MS = 60_000;
/** The longest Retry-After honoured: a longer one is taken as this. */
const LONGEST_RETRY_AFTER_MS = 300_000;

function coolDownMs(failure: ClassifiedFailure, failures: number): number {
	if (failure.retryAfterMs !== undefined) {
		return Math.min(Math.max(failure.retryAfterMs, FIRST_COOL_DOWN_MS), LONGEST_RETRY_AFTER_MS);
	}
	return Math.min(FIRST_COOL_DOWN_MS * 2 ** (failures - 1), LONGEST_COOL_DOWN_MS);
}

class UnusableTokenAnswer extends Error {}

function parseTokenResponse(response: unknown): IDataObject {
	if (typeof response !== 'string') return (response ?? {}) as IDataObject;
	try {
		const body: unknown = JSON.parse(response);
		if (body && typeof body === 'object') return body as IDataObject;
	} catch {
		// Reported below.
	}
	throw new UnusableTokenAnswer('answered with a body that is not JSON');
}

/**
 * The token and its lifetime from Enkash's answer. Enkash documents this
 * endpoint answering in snake_case (`access_token`, `expires_in`) for Point
 * Management and in camelCase (`accessToken`, `expiresIn`) for its payouts
 * product: both are read.
 */
export function readTokenAnswer(response: unknown): { token: string; lifetimeSeconds: number } {
	const body = parseTokenResponse(response);
	const token = body.access_token ?? body.accessToken;
	if (typeof token !== 'string' || token === '') {
		throw new UnusableTokenAnswer('answered without an access_token');
	}
	return { token, lifetimeSeconds: tokenLifetimeSeconds(body.expires_in ?? body.expiresIn) };
}

/** The network code of a request that got no answer, or its error's text. */
function networkFailureOf(error: unknown): string {
	const { code, message } = error as { code?: unknown; message?: unknown };
	if (typeof code === 'string' && code !== '') return code;
	const named = /\b(E[A-Z]{4,})\b/.exec(String(message ?? ''))?.[1];
	if (named) return named;
	return /timeout/i.test(String(message)) ? 'ECONNABORTED' : String(message ?? 'no answer');
}

async function requestToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ token: string; lifetimeSeconds: number } | TokenAttempt> {
	const tokenUrl = tokenUrlOf(credentials);
	const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString(
		'base64',
	);
	let response: unknown;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: {
				Authorization: `Basic ${basic}`,
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: new URLSearchParams({
				username: String(credentials.username),
				password: String(credentials.password),
				grant_type: 'password',
				clientId: String(credentials.clientId),
			}).toString(),
			timeout: TOKEN_REQUEST_TIMEOUT_MS,
		});
	} catch (error) {
		const answer = (
			error as { response?: { status?: number; data?: unknown; headers?: IDataObject } }
		).response;
		if (answer?.status) {
			return { tokenUrl, status: answer.status, body: answer.data, headers: answer.headers };
		}
		return { tokenUrl, networkFailure: networkFailureOf(error) };
	}
	try {
		return readTokenAnswer(response);
	} catch (error) {
		// readTokenAnswer throws nothing but an UnusableTokenAnswer.
		return { tokenUrl, unusableAnswer: (error as UnusableTokenAnswer).message };
	}
}

function outcomeOf(token: RememberedToken): TokenOutcome {
	return {
		[SESSION_TOKEN_FIELD]: token.value,
		[TOKEN_FAILURE_FIELD]: '',
		[ACCEPTED_LOGIN_FIELD]: JSON.stringify(token.acceptedLogin),
	};
}

/**
 * Asks Enkash for a token and remembers what it answered. A failure is
 * returned, not thrown, so that n8n stores it in the credential.
 */
async function tokenRequestOutcome(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenOutcome> {
	const answer = await requestToken(helper, credentials);
	const login = loginFingerprint(credentials);
	const account = accountOf(credentials);
	if ('token' in answer) {
		const acceptedLogin = JSON.parse(
			acceptedLoginRecord(credentials, answer.lifetimeSeconds),
		) as AcceptedLogin;
		const remembered = { value: answer.token, acceptedLogin };
		loginMemory.rememberToken(remembered, account);
		return { ...outcomeOf(remembered), [RENEWAL_CLAIM_FIELD]: '' };
	}
	const failure = classifyTokenFailure(answer);
	const { kind, message, advice } = failure;
	let retryAt: string | undefined;
	if (LOGIN_BLOCKING_KINDS.has(kind)) {
		loginMemory.countRefusal(account);
	} else {
		const coolDown = loginMemory.coolDown(login, message, (failures) =>
			coolDownMs(failure, failures),
		);
		retryAt = new Date(coolDown.until).toISOString();
	}
	const record = tokenFailureRecord(credentials, { kind, message, advice, retryAt });
	const stored = recordedTokenFailure({ ...credentials, [TOKEN_FAILURE_FIELD]: record });
	if (blocksLogin(stored)) loginMemory.rememberRefusal(stored);
	return { [SESSION_TOKEN_FIELD]: '', [TOKEN_FAILURE_FIELD]: record, [RENEWAL_CLAIM_FIELD]: '' };
}

const sharedTokenRequest = singleFlight<TokenOutcome>();

/** Why the credential's login may not be sent now, as far as the credential and this process know. */
export interface LoginHold {
	/** Enkash refused this login (or locked its account), and no later login of it was accepted. */
	refusal?: TokenFailure;
	/** Enkash refused this many logins of the account in a row: one more may lock it. */
	streak?: RefusalStreak;
}

/**
 * What holds the credential's login back. Both give way to a login Enkash
 * accepted after them, which another process may have stored.
 */
export function loginHold(credentials: ICredentialDataDecryptedObject): LoginHold {
	const login = loginFingerprint(credentials);
	const recorded = recordedTokenFailure(credentials);
	const accepted = acceptedLoginOf(credentials);
	const refusal = loginMemory.refusal(
		login,
		blocksLogin(recorded) ? recorded : undefined,
		accepted,
	);
	const streak = loginMemory.refusalStreak(accountOf(credentials));
	const streakHolds =
		streak !== undefined &&
		streak.count >= LOCKOUT_GUARD_REFUSALS &&
		!(accepted && Date.parse(accepted.issuedAt) > streak.lastAt);
	return { refusal, streak: streakHolds ? streak : undefined };
}

/** The message that stops an execution during a cool-down. */
export function coolDownMessage(coolDown: CoolDown): string {
	return failureMessage({
		message: coolDown.message,
		retryAt: new Date(coolDown.until).toISOString(),
	});
}

/** The message that stops an execution for a hold, with what to do. */
export function holdMessage(hold: LoginHold): string | undefined {
	if (hold.refusal) return storedRefusalMessage(hold.refusal);
	if (hold.streak) {
		return `Enkash has refused ${hold.streak.count} logins in a row for this username (the last at ${utcTime(hold.streak.lastAt)}), and one more locks the account: nothing is sent for it until the credential is tested and Enkash accepts it`;
	}
	return undefined;
}

/**
 * A token for the credential's login, asking Enkash only when needed.
 *
 * Executions of the Enkash Coins nodes never send a login Enkash refused, nor
 * one of an account that Enkash refused twice in a row, nor one in a
 * cool-down. A person testing the credential gets no request for those on the
 * first Test either (n8n's editor tests on every Save and each time the dialog
 * opens), but is told so, and the next Test within the retry window sends one
 * token request. A token this process already holds is used as it is, and
 * requests that need a token at the same moment share one token request.
 */
export async function obtainToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<TokenOutcome> {
	const claim = loginMemory.handClaimToN8n(credentials);
	if (claim) return claim as TokenOutcome;
	const login = loginFingerprint(credentials);
	const hold = loginHold(credentials);
	if (loginMemory.isExecution(credentials)) {
		const held = holdMessage(hold);
		if (held) throw new Error(held);
		const coolDown = loginMemory.activeCoolDown(login);
		if (coolDown) throw new Error(coolDownMessage(coolDown));
	} else if (hold.refusal || hold.streak) {
		if (!loginMemory.takeOfferedRetry(login)) {
			loginMemory.offerRetry(login);
			throw new Error(
				hold.refusal ? testHeldBackMessage(hold.refusal) : testLockoutWarning(hold.streak),
			);
		}
		return await sharedTokenRequest(login, () => tokenRequestOutcome(helper, credentials));
	} else {
		// n8n's older Test asks for a token on every Test, whether the stored one is fresh or not.
		const held = storedToken(credentials);
		if (held && isFresh(held, Date.now())) return outcomeOf(held);
	}
	const remembered = loginMemory.freshToken(login);
	if (remembered && remembered.value !== credentials[SESSION_TOKEN_FIELD]) {
		return outcomeOf(remembered);
	}
	return await sharedTokenRequest(login, () => tokenRequestOutcome(helper, credentials));
}

/** The token the credential holds for its current values, as this process remembers tokens. */
export function storedToken(
	credentials: ICredentialDataDecryptedObject,
): RememberedToken | undefined {
	const acceptedLogin = acceptedLoginOf(credentials);
	const value = credentials[SESSION_TOKEN_FIELD];
	if (!acceptedLogin || typeof value !== 'string' || value === '') return undefined;
	return { value, acceptedLogin };
}
