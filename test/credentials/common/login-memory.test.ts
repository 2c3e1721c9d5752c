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
	kind: 'refused',
	message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
	advice: 'Check the Username and Password.',
};
const ACCOUNT = '["https://pay-uat.enkash.in/oauth/token","api-user"]';

describe('loginMemory', () => {
	it('gives back the token it was told of while it is fresh', () => {
		loginMemory.rememberToken(token('t1'), ACCOUNT);

		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t1');
		expect(loginMemory.freshToken('another login', NOW)).toBeUndefined();
	});

	it('holds a token back once this process is due to renew it (at the latest 5 % of its lifetime before expiry)', () => {
		loginMemory.rememberToken(token('t1', 286), ACCOUNT);

		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
	});

	it('keeps a token for at least three quarters of its lifetime', () => {
		loginMemory.rememberToken(token('t1', 224), ACCOUNT);

		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t1');
	});

	it('forgets a token Enkash no longer accepts, but not a newer one', () => {
		loginMemory.rememberToken(token('t2'), ACCOUNT);

		loginMemory.forgetToken(LOGIN, 't1');
		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t2');
		loginMemory.forgetToken(LOGIN, 't2');
		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
	});

	it('does not take back a token Enkash refused, which the credential still holds until the renewal is stored', () => {
		loginMemory.rememberToken(token('t1'), ACCOUNT);
		loginMemory.forgetToken(LOGIN, 't1');

		loginMemory.rememberToken(token('t1'), ACCOUNT);
		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
		expect(loginMemory.wasRejected(LOGIN, 't1')).toBe(true);

		loginMemory.rememberToken(token('t2'), ACCOUNT);
		expect(loginMemory.freshToken(LOGIN, NOW)?.value).toBe('t2');
		expect(loginMemory.wasRejected(LOGIN, 't2')).toBe(false);
	});

	it('a refusal replaces the token, and a token accepted later replaces the refusal', () => {
		loginMemory.rememberToken(token('t1'), ACCOUNT);
		loginMemory.rememberRefusal(REFUSAL);

		expect(loginMemory.refusal(LOGIN, undefined)).toEqual(REFUSAL);
		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();

		loginMemory.rememberToken(token('t3'), ACCOUNT);
		expect(loginMemory.refusal(LOGIN, undefined)).toBeUndefined();
	});

	it('a refusal, stored or remembered, gives way to a login Enkash accepted after it (another process stored it)', () => {
		loginMemory.rememberRefusal(REFUSAL);
		const acceptedBefore = token('t0', 60).acceptedLogin;
		const acceptedAfter = { ...token('t4').acceptedLogin, issuedAt: '2026-11-30T12:00:01.000Z' };

		expect(loginMemory.refusal(LOGIN, undefined, acceptedBefore)).toEqual(REFUSAL);
		expect(loginMemory.refusal(LOGIN, REFUSAL, acceptedAfter)).toBeUndefined();
		expect(loginMemory.refusal(LOGIN, undefined)).toBeUndefined();
	});

	it('counts refusals in a row per account, across logins, until Enkash accepts one', () => {
		expect(loginMemory.countRefusal(ACCOUNT, NOW)).toEqual({ count: 1, lastAt: NOW });
		expect(loginMemory.countRefusal(ACCOUNT, NOW + 1)).toEqual({ count: 2, lastAt: NOW + 1 });
		expect(loginMemory.refusalStreak('another account')).toBeUndefined();

		loginMemory.rememberToken(token('t1'), ACCOUNT);
		expect(loginMemory.refusalStreak(ACCOUNT)).toBeUndefined();
	});

	it('holds token requests back for a cool-down that doubles with each failure in a row, until a token', () => {
		const doubling = (failures: number) => 2000 * 2 ** (failures - 1);

		expect(loginMemory.coolDown(LOGIN, 'HTTP 503', doubling, NOW).until).toBe(NOW + 2000);
		expect(loginMemory.activeCoolDown(LOGIN, NOW + 1999)?.message).toBe('HTTP 503');
		expect(loginMemory.activeCoolDown(LOGIN, NOW + 2000)).toBeUndefined();
		expect(loginMemory.coolDown(LOGIN, 'HTTP 503', doubling, NOW).until).toBe(NOW + 4000);

		loginMemory.rememberToken(token('t1'), ACCOUNT);
		expect(loginMemory.coolDown(LOGIN, 'HTTP 503', doubling, NOW).until).toBe(NOW + 2000);
	});

	it('a retry offered to a person testing the credential is taken once, within 60 s', () => {
		expect(loginMemory.takeOfferedRetry(LOGIN, NOW)).toBe(false);

		loginMemory.offerRetry(LOGIN, NOW);
		expect(loginMemory.takeOfferedRetry(LOGIN, NOW + 60_000)).toBe(true);
		expect(loginMemory.takeOfferedRetry(LOGIN, NOW + 60_000)).toBe(false);

		loginMemory.offerRetry(LOGIN, NOW);
		expect(loginMemory.takeOfferedRetry(LOGIN, NOW + 60_001)).toBe(false);
	});

	it("tells an execution's credential data from a Test's", () => {
		const execution = { password: 'p' };
		loginMemory.markExecution(execution);

		expect(loginMemory.isExecution(execution)).toBe(true);
		expect(loginMemory.isExecution({ ...execution })).toBe(false);
	});

	it('clear() forgets everything, as a restarted process would', () => {
		loginMemory.rememberToken(token('t1'), ACCOUNT);
		loginMemory.rememberRefusal({ ...REFUSAL, login: 'b'.repeat(64) });
		loginMemory.forgetToken('c'.repeat(64), 't0');

		loginMemory.clear();

		expect(loginMemory.freshToken(LOGIN, NOW)).toBeUndefined();
		expect(loginMemory.refusal('b'.repeat(64), undefined)).toBeUndefined();
		expect(loginMemory.wasRejected('c'.repeat(64), 't0')).toBe(false);
	});
});
