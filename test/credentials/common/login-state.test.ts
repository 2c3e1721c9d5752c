import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import {
	LOGIN_STATE_FIELD,
	RENEWAL_CLAIM_FIELD,
	SESSION_TOKEN_FIELD,
	claimFields,
	accountOf,
	heldToken,
	isAccepted,
	liveClaim,
	loginAttemptOf,
	loginOf,
	newClaim,
	readLoginState,
	refusalOf,
	refusalsInARow,
	storedFields,
	tokenLifetimeSeconds,
	withRefusal,
	withToken,
	type Refusal,
} from '../../../credentials/common/login-state';

const CREDENTIALS = {
	baseUrl: 'https://pay-uat.enkash.in/',
	clientId: 'client',
	clientSecret: 'client-secret',
	username: 'api-user',
	password: 'password',
	tokenUrl: '',
	loginAttempt: 1,
};

const refusal = (login: string, inARow = 1): Refusal => ({
	login,
	at: '2026-12-06T08:00:00.000Z',
	kind: 'refused',
	message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
	advice: 'Correct the Username or Password in the credential and Save.',
	inARow,
});

describe('loginOf: what makes a login', () => {
	it.each(['clientId', 'clientSecret', 'username', 'password', 'tokenUrl', 'loginAttempt'])(
		'another %s is another login',
		(field) => {
			const changed = { ...CREDENTIALS, [field]: field === 'loginAttempt' ? 2 : 'other' };
			expect(loginOf(changed)).not.toBe(loginOf(CREDENTIALS));
		},
	);

	it('is a one-way digest: no value appears in it', () => {
		expect(loginOf(CREDENTIALS)).toMatch(/^[0-9a-f]{64}$/);
	});

	it('the Base URL with or without a trailing slash, or the default Token URL written out, is the same login', () => {
		const written = { ...CREDENTIALS, tokenUrl: 'https://pay-uat.enkash.in/oauth/token' };
		expect(loginOf({ ...CREDENTIALS, baseUrl: 'https://pay-uat.enkash.in' })).toBe(
			loginOf(CREDENTIALS),
		);
		expect(loginOf(written)).toBe(loginOf(CREDENTIALS));
	});

	it('takes Login Attempt as a whole number of 1 or more, 1 when it is missing or unreadable', () => {
		expect(loginAttemptOf({})).toBe(1);
		expect(loginAttemptOf({ loginAttempt: 'x' })).toBe(1);
		expect(loginAttemptOf({ loginAttempt: 0 })).toBe(1);
		expect(loginAttemptOf({ loginAttempt: 3.7 })).toBe(3);
	});
});

describe('accountOf: what Enkash counts refusals for', () => {
	it('is the token URL and the username, whatever the password or client', () => {
		expect(accountOf({ ...CREDENTIALS, password: 'other', clientId: 'other' })).toBe(
			accountOf(CREDENTIALS),
		);
		expect(accountOf({ ...CREDENTIALS, username: 'someone-else' })).not.toBe(
			accountOf(CREDENTIALS),
		);
	});
});

describe('the stored record', () => {
	const login = loginOf(CREDENTIALS);
	const account = accountOf(CREDENTIALS);

	it('reads an empty or unreadable record as no record', () => {
		const records: ICredentialDataDecryptedObject[] = [
			{},
			{ [LOGIN_STATE_FIELD]: '' },
			{ [LOGIN_STATE_FIELD]: 'not json' },
		];
		for (const stored of records) {
			expect(readLoginState(stored)).toEqual({
				credential: '',
				accepted: [],
				refused: [],
			});
		}
	});

	it('a token Enkash issued accepts the login and ends the refusals in a row; what is stored settles the claim', () => {
		const claimed = { ...readLoginState({}), inARow: { account, count: 2 } };
		const now = Date.parse('2026-12-06T08:00:00Z');

		const state = withToken(claimed, login, 300, now);

		expect(isAccepted(state, login)).toBe(true);
		expect(state.token).toEqual({
			login,
			renewAt: '2026-12-06T08:04:00.000Z',
			expiresAt: '2026-12-06T08:05:00.000Z',
		});
		expect(refusalsInARow(state, account)).toBe(0);
		expect(storedFields({}, state)[RENEWAL_CLAIM_FIELD]).toBe('');
	});

	it("a refusal is the login's for good: no longer accepted, its token dropped, counted in a row", () => {
		const accepted = withToken(readLoginState({}), login, 300);

		const state = withRefusal(accepted, refusal(login, 2), account);

		expect(refusalOf(state, login)).toEqual(refusal(login, 2));
		expect(isAccepted(state, login)).toBe(false);
		expect(state.token).toBeUndefined();
		expect(refusalsInARow(state, account)).toBe(2);
		expect(refusalsInARow(state, 'another account')).toBe(0);
	});

	it("another login's refusal keeps the stored login's records: its acceptance and its token", () => {
		const accepted = withToken(readLoginState({}), login, 300);

		const state = withRefusal(accepted, refusal('a guess'), account);

		expect(isAccepted(state, login)).toBe(true);
		expect(state.token?.login).toBe(login);
		expect(refusalOf(state, login)).toBeUndefined();
	});

	it('keeps the newest ten refusals', () => {
		let state = readLoginState({});
		for (let each = 0; each < 12; each++) state = withRefusal(state, refusal(`L${each}`), account);

		expect(state.refused.map(({ login: refused }) => refused)).toEqual(
			Array.from({ length: 10 }, (_, each) => `L${each + 2}`),
		);
	});

	it('a claim holds until its time, for its login only', () => {
		const now = Date.parse('2026-12-06T08:00:00Z');
		const claim = newClaim(login, 45_000, now);
		const stored = claimFields({ [SESSION_TOKEN_FIELD]: 'T' }, claim);

		expect(stored).toEqual({
			[SESSION_TOKEN_FIELD]: 'T',
			[RENEWAL_CLAIM_FIELD]: JSON.stringify(claim),
		});
		expect(liveClaim(stored, login, now + 44_999)).toEqual(claim);
		expect(liveClaim(stored, login, now + 45_000)).toBeUndefined();
		expect(liveClaim(stored, 'another login', now)).toBeUndefined();
	});

	it('is stored with an id drawn once for the credential, and the token beside it', () => {
		const fields = storedFields({ [SESSION_TOKEN_FIELD]: 'the-token' }, readLoginState({}));
		const again = storedFields(fields, readLoginState(fields));

		expect(fields[SESSION_TOKEN_FIELD]).toBe('the-token');
		expect(readLoginState(fields).credential).toMatch(/^[0-9a-f-]{36}$/);
		expect(readLoginState(again).credential).toBe(readLoginState(fields).credential);
	});
});

describe('heldToken', () => {
	it('is the stored token only while it was issued for the current values', () => {
		const state = withToken(readLoginState({}), loginOf(CREDENTIALS), 300);
		const stored = { ...CREDENTIALS, ...storedFields({ [SESSION_TOKEN_FIELD]: 'T' }, state) };

		expect(heldToken(stored)?.value).toBe('T');
		expect(heldToken({ ...stored, password: 'edited' })).toBeUndefined();
		expect(heldToken({ ...stored, loginAttempt: 2 })).toBeUndefined();
		expect(heldToken({ ...stored, [SESSION_TOKEN_FIELD]: '' })).toBeUndefined();
	});
});

describe('tokenLifetimeSeconds', () => {
	it('takes Enkash’s expires_in, never more than the documented 5 minutes', () => {
		expect(tokenLifetimeSeconds(60)).toBe(60);
		expect(tokenLifetimeSeconds(86399)).toBe(300);
		expect(tokenLifetimeSeconds(undefined)).toBe(300);
		expect(tokenLifetimeSeconds('soon')).toBe(300);
	});
});
