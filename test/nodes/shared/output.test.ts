import { PayloadError, asBalance, asPayloadObject } from '../../../nodes/shared/output';

describe('asPayloadObject', () => {
	it('returns the payload object with any extra fields', () => {
		const payload = { coinConfigId: 'WCC024845', amount: 10, newField: true };
		expect(asPayloadObject(payload, 'event configuration')).toBe(payload);
	});

	it.each([
		['a string', 'done', '"done"'],
		['null', null, 'null'],
		['nothing', undefined, 'nothing'],
		['a list', [1], '[1]'],
	])('rejects %s with a clear message', (_label, payload, shown) => {
		expect(() => asPayloadObject(payload, 'event configuration')).toThrow(
			new PayloadError(
				`Enkash returned no event configuration: expected an object in "payload", got ${shown}`,
			),
		);
	});
});

describe('asBalance', () => {
	it('reads a bare integer', () => {
		expect(asBalance(120)).toBe(120);
	});

	it('reads a numeric string', () => {
		expect(asBalance('75')).toBe(75);
	});

	it.each([['abc'], [''], [null], [{ balance: 3 }]])('rejects %p', (payload) => {
		expect(() => asBalance(payload)).toThrow(PayloadError);
		expect(() => asBalance(payload)).toThrow(/balance that is not a number/);
	});
});
