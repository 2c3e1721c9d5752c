import { readTokenAnswer } from '../../../credentials/common/token-client';

describe('readTokenAnswer', () => {
	it("reads Point Management's documented answer (snake_case)", () => {
		expect(
			readTokenAnswer({
				access_token: 'abc',
				token_type: 'bearer',
				refresh_token: 'r',
				expires_in: 120,
				scope: 'read write trust',
			}),
		).toEqual({ token: 'abc', lifetimeSeconds: 120 });
	});

	it('reads the camelCase answer Enkash documents for the same endpoint in its payouts product', () => {
		expect(
			readTokenAnswer({
				accessToken: 'abc',
				tokenType: 'bearer',
				expiresIn: 60,
				refreshToken: 'r',
			}),
		).toEqual({ token: 'abc', lifetimeSeconds: 60 });
	});

	it('reads an answer n8n left as text', () => {
		expect(readTokenAnswer('{"access_token":"abc","expires_in":30}')).toEqual({
			token: 'abc',
			lifetimeSeconds: 30,
		});
	});

	it("takes a token to last Enkash's documented 5 minutes at most, or when the answer does not say", () => {
		expect(readTokenAnswer({ access_token: 'abc', expires_in: 86399 }).lifetimeSeconds).toBe(300);
		expect(readTokenAnswer({ access_token: 'abc' }).lifetimeSeconds).toBe(300);
		expect(readTokenAnswer({ access_token: 'abc', expires_in: 'soon' }).lifetimeSeconds).toBe(300);
	});

	it.each([{}, { access_token: '' }, { accessToken: 42 }])(
		'fails without a token: %p',
		(answer) => {
			expect(() => readTokenAnswer(answer)).toThrow('answered without an access_token');
		},
	);

	it('fails on a body that is not JSON', () => {
		expect(() => readTokenAnswer('<html>')).toThrow('answered with a body that is not JSON');
	});
});
