import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper } from 'n8n-workflow';

import { loginMemory } from './login-memory';
import {
	accountOf,
	heldToken,
	isAccepted,
	loginOf,
	readLoginState,
	refusalOf,
	refusalsInARow,
	storedFields,
	tokenLifetimeSeconds,
	tokenUrlOf,
	withRefusal,
	withToken,
	type HeldToken,
	type LoginState,
	type Refusal,
} from './login-state';
import {
	COOL_DOWN_ADVICE,
	NOT_ACCEPTED_ADVICE,
	NOT_ACCEPTED_MESSAGE,
	OTHER_CREDENTIAL_NOTE,
	REFUSAL_ADVICE,
	coolDownMessage,
	refusalMessage,
} from './messages';
import {
	TOKEN_REQUEST_TIMEOUT_MS,
	classifyTokenFailure,
	type ClassifiedFailure,
	type TokenAttempt,
} from './token-answer';

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

/** The stored token, while it may be sent: issued for the current values, not expired, not refused with a 401 in this process. */
export function sendableToken(
	credentials: ICredentialDataDecryptedObject,
	now = Date.now(),
): HeldToken | undefined {
	const token = heldToken(credentials);
	if (!token || now >= token.usableUntil) return undefined;
	return loginMemory.wasRejected(token.login, token.value) ? undefined : token;
}

/** The stored refusal of the credential's login, or the one this process has just seen. */
function refusalOfLogin(credentials: ICredentialDataDecryptedObject): Refusal | undefined {
	const login = loginOf(credentials);
	return refusalOf(readLoginState(credentials), login) ?? loginMemory.refusal(login);
}

/** Asks Enkash for a token and returns what n8n is to store: the token, or Enkash's refusal. */
async function requestAndRecord(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	state: LoginState,
): Promise<ICredentialDataDecryptedObject> {
	const login = loginOf(credentials);
	const account = accountOf(credentials);
	const answer = await requestToken(helper, credentials);
	if ('token' in answer) {
		loginMemory.rememberAcceptance(login, account);
		return storedFields(credentials, withToken(state, login, answer.lifetimeSeconds), answer.token);
	}
	const failure = classifyTokenFailure(answer);
	if (failure.kind === 'refused' || failure.kind === 'locked') {
		const inARow = Math.max(refusalsInARow(state, account), loginMemory.inARow(account)) + 1;
		const refusal: Refusal = {
			login,
			at: new Date().toISOString(),
			kind: failure.kind,
			message: failure.message,
			advice: failure.advice,
			inARow,
		};
		loginMemory.rememberRefusal(refusal, account);
		return storedFields(credentials, withRefusal(state, refusal, account));
	}
	const coolDown = loginMemory.startCoolDown(login, failure.message, (failures) =>
		coolDownMs(failure, failures),
	);
	const message = `${coolDownMessage(failure.message, coolDown.until)}. ${failure.advice}`;
	throw new Error(aboutLogin(credentials, message));
}

/** Token requests of one account, one at a time in this process; callers of the same login share one. */
const inFlight = new Map<
	string,
	{ login: string; outcome: Promise<ICredentialDataDecryptedObject> }
>();

async function oneAtATime(
	account: string,
	login: string,
	request: () => Promise<ICredentialDataDecryptedObject>,
): Promise<ICredentialDataDecryptedObject> {
	for (let flight = inFlight.get(account); flight; flight = inFlight.get(account)) {
		if (flight.login === login) return { ...(await flight.outcome) };
		await flight.outcome.catch(() => undefined);
	}
	const outcome = request().finally(() => inFlight.delete(account));
	inFlight.set(account, { login, outcome });
	return { ...(await outcome) };
}

/**
 * A message about the credential's login, with a note when this process knows
 * another credential of the same username: Enkash counts their refusals together.
 */
function aboutLogin(credentials: ICredentialDataDecryptedObject, message: string): string {
	const { credential } = readLoginState(credentials);
	const shared =
		credential !== '' && loginMemory.noteCredential(accountOf(credentials), credential);
	return shared ? `${message}${OTHER_CREDENTIAL_NOTE}` : message;
}

/** Why nothing may be sent for the credential's login now, with what the user is told. */
export interface LoginHold {
	message: string;
	description: string;
}

/**
 * What holds the credential's login back: Enkash's refusal, for every caller;
 * for a caller that is not n8n's credential test (`attended`), also a login
 * Enkash has not accepted, and a cool-down after a failure that was not a refusal.
 */
export function loginHold(
	credentials: ICredentialDataDecryptedObject,
	attended: boolean,
): LoginHold | undefined {
	const refusal = refusalOfLogin(credentials);
	if (refusal) {
		const message = aboutLogin(credentials, refusalMessage(refusal));
		return { message, description: REFUSAL_ADVICE };
	}
	if (attended) return undefined;
	const login = loginOf(credentials);
	if (!isAccepted(readLoginState(credentials), login)) {
		return { message: NOT_ACCEPTED_MESSAGE, description: NOT_ACCEPTED_ADVICE };
	}
	const coolDown = loginMemory.coolDown(login);
	if (!coolDown) return undefined;
	const message = coolDownMessage(coolDown.message, coolDown.until);
	return { message, description: COOL_DOWN_ADVICE };
}

/**
 * The credential's `preAuthentication`: a token for its login, under one rule.
 * A login Enkash refused is never sent again, by anyone. A login Enkash has
 * not accepted is sent only by n8n's credential test; every other caller (the
 * Enkash nodes, another node, a queue-mode worker) sends only a login Enkash
 * has accepted, and none during a cool-down after a failure that was not a
 * refusal. When the login is held back it returns nothing, which n8n does not
 * store, and `authenticate` says why (loginHold). What Enkash answers is
 * returned for n8n to store, not thrown.
 */
export async function obtainToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const carried = loginMemory.carriedFields(credentials);
	if (carried) return carried;
	if (loginHold(credentials, loginMemory.isAttended(credentials))) return {};
	const state = readLoginState(credentials);
	const login = loginOf(credentials);
	const outcome = await oneAtATime(accountOf(credentials), login, () =>
		requestAndRecord(helper, credentials, state),
	);
	loginMemory.noteCredential(accountOf(credentials), readLoginState(outcome).credential);
	return outcome;
}
