import { utcTime, type Refusal } from './login-state';

/**
 * What the password credential's rule says to a person, in the words of n8n's
 * credential dialog: it tests on Save and each time it opens, and offers Retry
 * after a failed test, which sends the same values again.
 */

const LOCKS_AFTER = 'Enkash locks the account after 3 refused token requests in a row';

const NEVER_AGAIN =
	'Values Enkash refused are never sent again: opening the credential, Save with the same values and Retry send nothing.';

const RAISE_LOGIN_ATTEMPT = 'raise Login Attempt by one and Save: that sends one token request';

/** The refusal as every caller reads it: when, why, and what to change. */
export function refusalMessage(refusal: Refusal): string {
	const when = `${refusal.message} at ${utcTime(refusal.at)}.`;
	const warning =
		refusal.inARow >= 2
			? ` That is ${refusal.inARow} refused logins in a row for this username: one more refused token request locks the account, so check every value with Enkash before you save again.`
			: '';
	const wayBack =
		refusal.kind === 'locked'
			? `Ask Enkash to unlock the account; once it is unlocked, ${RAISE_LOGIN_ATTEMPT}.`
			: `${refusal.advice} If Enkash has since restored these values, ${RAISE_LOGIN_ATTEMPT}.`;
	return `${when}${warning} ${NEVER_AGAIN} ${wayBack}`;
}

export const REFUSAL_ADVICE = `Nothing was sent to Enkash. ${LOCKS_AFTER}: the credential's values are sent again only once a person changes them, or raises Login Attempt, and saves.`;

export const NOT_ACCEPTED_MESSAGE =
	'Enkash has not accepted this login yet: open the Enkash Coins Password API credential and Save it, which tests it with one token request';

export const NOT_ACCEPTED_ADVICE = `Nothing was sent to Enkash. ${LOCKS_AFTER}, so only the credential's own test (on Save, and when its dialog opens) sends a login Enkash has not accepted; workflows, other nodes and queue-mode workers send only one it has.`;

export const OTHER_CREDENTIAL_NOTE =
	' Another Enkash Coins Password API credential in this n8n has the same username: Enkash counts the refusals of both together. Keep one credential per Enkash API user.';

/** A failure that is not a refusal: when the next token request is sent. */
export function coolDownMessage(message: string, until: number, now = Date.now()): string {
	const seconds = Math.max(0, Math.ceil((until - now) / 1000));
	return `${message}; the next token request is sent after ${utcTime(until)} (in ${seconds} s)`;
}

export const COOL_DOWN_ADVICE =
	'The login was not refused: nothing counts towards the lockout. Enkash’s token endpoint failed a moment ago, so this n8n process waits before asking again; the next run after that time tries again.';
