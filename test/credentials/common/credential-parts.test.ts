import { normalizeBaseUrl } from '../../../credentials/common/credential-parts';

describe('normalizeBaseUrl', () => {
	it.each([
		['https://pay-uat.enkash.in', 'https://pay-uat.enkash.in'],
		['https://pay-uat.enkash.in/', 'https://pay-uat.enkash.in'],
		[' https://pay.enkash.in/gateway// ', 'https://pay.enkash.in/gateway'],
	])('%p becomes %p', (given, expected) => {
		expect(normalizeBaseUrl(given)).toBe(expected);
	});
});
