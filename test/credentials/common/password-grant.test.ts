import {
	MAX_RENEWAL_WAIT_MS,
	acceptedLoginOf,
	acceptedLoginRecord,
	loginFingerprint,
	renewalShare,
	renewalWaitMs,
	renewsAt,
	tokenLifetimeSeconds,
	recordedTokenFailure,
	failureMessage,
	storedRefusalMessage,
	testHeldBackMessage,
	tokenFailureRecord,
	tokenUrlOf,
} from '../../../credentials/common/password-grant';

const LOGIN = {
	baseUrl: 'https://pay-uat.enkash.in/',
	tokenUrl: '',
	clientId: 'client',
	clientSecret: 'client-secret',
	username: 'api-user',
	password: 'wrong-password',
};
const REFUSAL = {
	kind: 'refused' as const,
	message: 'Enkash refused the token request (HTTP 400: Bad credentials)',
	advice: 'Check the Username and Password.',
};

describe('tokenUrlOf', () => {
	it('is {Base URL}/oauth/token unless a Token URL is given', () => {
		expect(tokenUrlOf(LOGIN)).toBe('https://pay-uat.enkash.in/oauth/token');
		expect(tokenUrlOf({ ...LOGIN, tokenUrl: ' https://auth.example.com/token ' })).toBe(
			'https://auth.example.com/token',
		);
	});
});

describe('loginFingerprint', () => {
	it('is a SHA-256 digest that does not contain the secrets', () => {
		const fingerprint = loginFingerprint(LOGIN);
		expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
		expect(fingerprint).toBe(loginFingerprint({ ...LOGIN }));
	});

	it.each(['clientId', 'clientSecret', 'username', 'password', 'tokenUrl'])(
		'changes when %s changes',
		(field) => {
			expect(loginFingerprint({ ...LOGIN, [field]: 'edited' })).not.toBe(loginFingerprint(LOGIN));
		},
	);

	it('does not change with the stored token or the recorded failure', () => {
		expect(loginFingerprint({ ...LOGIN, sessionToken: 'abc', tokenFailure: '{}' })).toBe(
			loginFingerprint(LOGIN),
		);
	});
});

describe('recordedTokenFailure', () => {
	it('reads the failure recorded for the current login', () => {
		const tokenFailure = tokenFailureRecord(LOGIN, REFUSAL, new Date('2026-11-26T08:00:00Z'));

		expect(recordedTokenFailure({ ...LOGIN, tokenFailure })).toEqual({
			login: loginFingerprint(LOGIN),
			at: '2026-11-26T08:00:00.000Z',
			...REFUSAL,
		});
	});

	it('ignores a failure recorded for another login: editing the credential clears it', () => {
		const tokenFailure = tokenFailureRecord(LOGIN, REFUSAL);

		expect(recordedTokenFailure({ ...LOGIN, password: 'corrected', tokenFailure })).toBeUndefined();
	});

	it.each([undefined, '', 'not json', '{"login":"x"}', 42])('finds none in %p', (tokenFailure) => {
		expect(recordedTokenFailure({ ...LOGIN, tokenFailure } as never)).toBeUndefined();
	});
});

describe('the messages of a recorded failure', () => {
	const refusedAt = new Date('2026-11-26T08:00:00Z');
	const failure = recordedTokenFailure({
		...LOGIN,
		tokenFailure: tokenFailureRecord(LOGIN, REFUSAL, refusedAt),
	})!;

	it('an execution stopped by a refusal remembered from earlier: when, and the two ways back', () => {
		expect(storedRefusalMessage(failure)).toBe(
			'Enkash refused the token request (HTTP 400: Bad credentials) at 2026-11-26 08:00:00 UTC; not sent again until the credential is changed and saved, or tested twice',
		);
	});

	it("the credential's Test that sent nothing: when, why, and that Retry within 60 s sends one token request", () => {
		expect(testHeldBackMessage(failure)).toBe(
			'Enkash refused these values at 2026-11-26 08:00:00 UTC (Enkash refused the token request (HTTP 400: Bad credentials)). If you have changed them, save the credential. Nothing was sent now. Once Enkash has restored the password or unlocked the account, click Retry within 60 s: that sends one token request.',
		);
		expect(testHeldBackMessage({ ...failure, kind: 'locked' })).toMatch(
			/^Enkash locked the account at 2026-11-26 08:00:00 UTC \(.*\)\. Ask Enkash to unlock it\./,
		);
	});

	it('a failure that was not a refusal says when the next token request is sent', () => {
		const retryAt = '2026-11-26T08:00:05.000Z';
		expect(
			failureMessage(
				{ message: "Enkash's token endpoint failed (HTTP 503)", retryAt },
				Date.parse('2026-11-26T08:00:01Z'),
			),
		).toBe(
			"Enkash's token endpoint failed (HTTP 503); the next token request is sent after 2026-11-26 08:00:05 UTC (in 4 s)",
		);
		expect(failureMessage(failure)).toBe(REFUSAL.message);
	});

	it('reads a record stored before failures had kinds', () => {
		const old = JSON.stringify({
			login: loginFingerprint(LOGIN),
			at: 'x',
			message: 'm',
			refused: true,
		});
		expect(recordedTokenFailure({ ...LOGIN, tokenFailure: old })?.kind).toBe('refused');
	});
});

describe('acceptedLoginOf', () => {
	const issuedAt = new Date('2026-11-30T12:00:00Z');

	it('reads the login Enkash accepted, with when its token was issued and expires', () => {
		const acceptedLogin = acceptedLoginRecord(LOGIN, 300, issuedAt);

		expect(acceptedLoginOf({ ...LOGIN, acceptedLogin })).toEqual({
			login: loginFingerprint(LOGIN),
			issuedAt: '2026-11-30T12:00:00.000Z',
			expiresAt: '2026-11-30T12:05:00.000Z',
		});
	});

	it('finds none once the credential is edited: the new login is not proven', () => {
		const acceptedLogin = acceptedLoginRecord(LOGIN, 300, issuedAt);

		expect(acceptedLoginOf({ ...LOGIN, password: 'edited', acceptedLogin })).toBeUndefined();
	});

	it.each([undefined, '', 'not json', '{"login":"x"}', 'null'])(
		'finds none in %p',
		(acceptedLogin) => {
			expect(acceptedLoginOf({ ...LOGIN, acceptedLogin } as never)).toBeUndefined();
		},
	);
});

describe('tokenLifetimeSeconds', () => {
	it.each([
		[120, 120],
		['60', 60],
		[86399, 300],
		[undefined, 300],
		[0, 300],
		[-5, 300],
		['soon', 300],
	])('of expires_in %p is %p s', (expiresIn, seconds) => {
		expect(tokenLifetimeSeconds(expiresIn)).toBe(seconds);
	});
});

describe('renewsAt', () => {
	const accepted = {
		login: 'x',
		issuedAt: '2026-11-30T12:00:00.000Z',
		expiresAt: '2026-11-30T12:05:00.000Z',
	};

	it('is the given share of the lifetime before expiry', () => {
		expect(new Date(renewsAt(accepted, 0.1)).toISOString()).toBe('2026-11-30T12:04:30.000Z');
		expect(new Date(renewsAt(accepted, 0.25)).toISOString()).toBe('2026-11-30T12:03:45.000Z');
	});

	it("is, by default, this process's own share for the token", () => {
		expect(renewsAt(accepted)).toBe(renewsAt(accepted, renewalShare(accepted)));
	});
});

describe('renewalShare and renewalWaitMs', () => {
	const tokens = Array.from({ length: 200 }, (_, index) => ({
		login: 'x',
		issuedAt: new Date(Date.UTC(2026, 10, 30, 12, 0, index)).toISOString(),
		expiresAt: new Date(Date.UTC(2026, 10, 30, 12, 5, index)).toISOString(),
	}));

	it('are the same for the same token every time this process asks', () => {
		expect(renewalShare(tokens[0])).toBe(renewalShare({ ...tokens[0] }));
		expect(renewalWaitMs(tokens[0].issuedAt)).toBe(renewalWaitMs(tokens[0].issuedAt));
	});

	it('are drawn anew for each token: a share between 5 % and 25 %, a wait of 0 to 5 s', () => {
		const shares = tokens.map(renewalShare);
		const waits = tokens.map(({ issuedAt }) => renewalWaitMs(issuedAt));

		expect(Math.min(...shares)).toBeGreaterThanOrEqual(0.05);
		expect(Math.max(...shares)).toBeLessThan(0.25);
		expect(new Set(shares).size).toBe(tokens.length);
		expect(Math.min(...waits)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...waits)).toBeLessThanOrEqual(MAX_RENEWAL_WAIT_MS);
		expect(new Set(waits).size).toBeGreaterThan(tokens.length / 2);
	});

	it('waits nothing for a token it knows nothing of', () => {
		expect(renewalWaitMs(undefined)).toBe(0);
	});
});
