import { renewsAt, type AcceptedLogin, type TokenFailure } from './password-grant';

/** A token this process obtained or read, with the accepted-login record stored beside it. */
export interface RememberedToken {
	value: string;
	acceptedLogin: AcceptedLogin;
}

/** Whether it is not yet time for this process to renew the token. */
export function isFresh(token: RememberedToken | undefined, now: number): token is RememberedToken {
	return token !== undefined && now < renewsAt(token.acceptedLogin);
}

const tokens = new Map<string, RememberedToken>();
const refusals = new Map<string, TokenFailure>();

/**
 * What this n8n process last learned about each login (by its fingerprint):
 * the newest token Enkash issued for it, or Enkash's refusal of it.
 *
 * n8n stores both in the credential, but an execution reads the credential
 * once, when it starts: one that read it before the token or the refusal was
 * stored would otherwise ask Enkash again. Executions look here first, so a
 * process asks for a token once per token lifetime and sends a refused login
 * at most once. Processes share nothing in memory; they meet in the stored
 * credential, which an execution re-reads before it renews a token.
 */
export const loginMemory = {
	rememberToken(token: RememberedToken): void {
		tokens.set(token.acceptedLogin.login, token);
		refusals.delete(token.acceptedLogin.login);
	},

	rememberRefusal(refusal: TokenFailure): void {
		refusals.set(refusal.login, refusal);
		tokens.delete(refusal.login);
	},

	/** The login's token, unless it is time for this process to renew it. */
	freshToken(login: string, now = Date.now()): RememberedToken | undefined {
		const token = tokens.get(login);
		return isFresh(token, now) ? token : undefined;
	},

	/** Enkash's refusal of the login: the one `recorded` in the credential, or the one this process remembers. */
	refusal(login: string, recorded?: TokenFailure): TokenFailure | undefined {
		return recorded?.refused ? recorded : refusals.get(login);
	},

	/** Enkash no longer accepts this token (it answered 401). */
	forgetToken(login: string, value: unknown): void {
		if (tokens.get(login)?.value === value) tokens.delete(login);
	},

	/** Forgets everything, as a restarted process would. */
	clear(): void {
		tokens.clear();
		refusals.clear();
	},
};
