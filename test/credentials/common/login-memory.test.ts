import { loginMemory } from '../../../credentials/common/login-memory';
import type { AcceptedLogin, TokenFailure } from '../../../credentials/common/password-grant';

const LOGIN = 'a'.repeat(64);
const NOW = Date.parse('2026-11-30T12:00:00Z');

/** A token issued `ageSeconds` ago that lasts 300 s. */
function token(value: string, ageSeconds = 0) {
	const issuedAt = NOW - ageSeconds * 1000;
	const acceptedLogin: AcceptedLogin = {
		login: LOGIN,
		issuedAt: new Date(issuedAt).toISOString(),
		expiresAt: new Date(issuedAt + 300_000).toISOString(),
	};
	return { value, acceptedLogin };
}

const REFUSAL: TokenFailure = {
	login: LOGIN,
	at: '2026-11-30T12:00:00.000Z',
	message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
	refused: true,
};

describe('loginMemory', () => {
	it('gives back the token it was told of while it is fresh', () => {
		loginMemory.rememberToken(token('t1'));

		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t1');
		expect(loginMemory.freshToken('another login', NOW)).toBeUndefined();
	});

	it('holds a token back once this process is due to renew it (at the latest 5 % of its lifetime before expiry)', () => {
		loginMemory.rememberToken(token('t1', 286));

		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
	});

	it('keeps a token for at least three quarters of its lifetime', () => {
		loginMemory.rememberToken(token('t1', 224));

		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t1');
	});

	it('forgets a token Enkash no longer accepts, but not a newer one', () => {
		loginMemory.rememberToken(token('t2'));

		loginMemory.forgetToken(LOGIN, 't1');
		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t2');
		loginMemory.forgetToken(LOGIN, 't2');
		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
	});

	it('a refusal replaces the token, and a token accepted later replaces the refusal', () => {
		loginMemory.rememberToken(token('t1'));
		loginMemory.rememberRefusal(REFUSAL);

		expect(loginMemory.refusal(LOGIN)).toEqual(REFUSAL);
		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();

		loginMemory.rememberToken(token('t3'));
		expect(loginMemory.refusal(LOGIN)).toBeUndefined();
	});

	it('clear() forgets everything, as a restarted process would', () => {
		loginMemory.rememberToken(token('t1'));
		loginMemory.rememberRefusal({ ...REFUSAL, login: 'b'.repeat(64) });

		loginMemory.clear();

		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
		expect(loginMemory.refusal('b'.repeat(64))).toBeUndefined();
	});
});
