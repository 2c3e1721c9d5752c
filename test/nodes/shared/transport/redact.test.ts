import { redact, secretsOf } from '../../../../nodes/shared/transport/redact';

describe('secretsOf', () => {
	it('lists the token, password and client secret with their Base64 forms and the Basic header', () => {
		const secrets = secretsOf({
			baseUrl: 'https://pay-uat.enkash.in',
			clientId: 'client-1',
			clientSecret: 'client-secret-1',
			username: 'admin',
			password: 'hunter22',
			accessToken: 'token-abc',
		});
		expect(secrets).toEqual(
			expect.arrayContaining([
				'token-abc',
				'hunter22',
				'client-secret-1',
				Buffer.from('client-1:client-secret-1').toString('base64'),
				Buffer.from('hunter22').toString('base64'),
			]),
		);
		expect(secrets).not.toContain('admin');
		expect(secrets).not.toContain('https://pay-uat.enkash.in');
	});

	it('ignores empty and missing fields', () => {
		expect(secretsOf({ accessToken: '' })).toEqual([]);
		expect(secretsOf(undefined)).toEqual([]);
	});
});

describe('redact', () => {
	it('replaces every occurrence of every secret', () => {
		expect(redact('Invalid access token: abc123, again abc123', ['abc123'])).toBe(
			'Invalid access token: [redacted], again [redacted]',
		);
	});

	it('leaves text without secrets unchanged', () => {
		expect(redact('Bad credentials', ['abc123'])).toBe('Bad credentials');
	});
});
