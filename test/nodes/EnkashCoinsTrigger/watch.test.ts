import {
	isEvent,
	parseUserIds,
	requireThreshold,
	type Watch,
} from '../../../nodes/EnkashCoinsTrigger/watch';

describe('parseUserIds', () => {
	it.each([
		['one ID per line', 'EK1\nEK2\n\nEK3', ['EK1', 'EK2', 'EK3']],
		['IDs separated by commas', 'EK1, EK2 ,EK3,', ['EK1', 'EK2', 'EK3']],
		['a list from an expression', ['EK1', 42, ' EK3 '], ['EK1', '42', 'EK3']],
		['a single number', 42, ['42']],
		['repeated IDs, kept once in order', 'EK2\nEK1\nEK2', ['EK2', 'EK1']],
	])('reads %s', (_, value, expected) => {
		expect(parseUserIds(value)).toEqual(expected);
	});

	it.each([
		['empty text', '', '"User IDs" is required but is empty'],
		['only separators', ' ,\n, ', '"User IDs" is required but is empty'],
		['an empty list', [], '"User IDs" is required but is empty'],
		[
			'an object',
			{ id: 'EK1' },
			'"User IDs" must be a list of user IDs or text, but got an object',
		],
		['nothing', undefined, '"User IDs" must be a list of user IDs or text, but got nothing'],
		[
			'a list holding an object',
			['EK1', {}],
			'"User IDs" must be text, but the expression gave an object',
		],
	])('refuses %s, naming the field', (_, value, message) => {
		expect(() => parseUserIds(value)).toThrow(message);
	});
});

describe('requireThreshold', () => {
	it('takes a number, or digits as text', () => {
		expect(requireThreshold(100)).toBe(100);
		expect(requireThreshold(' 50 ')).toBe(50);
	});

	it.each([[''], ['lots'], [null], [Number.NaN]])('refuses %p, naming the field', (value) => {
		expect(() => requireThreshold(value)).toThrow(/^"Threshold" must be a number/);
	});
});

describe('isEvent', () => {
	const changed: Watch = { event: 'balanceChanged', threshold: 0 };
	const below: Watch = { event: 'balanceBelow', threshold: 100 };
	const above: Watch = { event: 'balanceAbove', threshold: 100 };

	it('fires for a balance that differs from the last reading', () => {
		expect(isEvent(changed, 50, 60)).toBe(true);
		expect(isEvent(changed, 60, 50)).toBe(true);
		expect(isEvent(changed, 60, 60)).toBe(false);
	});

	it('fires once when a balance falls below the threshold, not while it stays there', () => {
		expect(isEvent(below, 100, 99)).toBe(true);
		expect(isEvent(below, 150, 20)).toBe(true);
		expect(isEvent(below, 99, 50)).toBe(false);
		expect(isEvent(below, 50, 100)).toBe(false);
		expect(isEvent(below, 100, 100)).toBe(false);
	});

	it('fires once when a balance rises above the threshold, not while it stays there', () => {
		expect(isEvent(above, 100, 101)).toBe(true);
		expect(isEvent(above, 20, 150)).toBe(true);
		expect(isEvent(above, 101, 150)).toBe(false);
		expect(isEvent(above, 150, 100)).toBe(false);
	});

	it('does not fire on a first reading, which is the baseline', () => {
		expect(isEvent(changed, undefined, 60)).toBe(false);
		expect(isEvent(below, undefined, 10)).toBe(false);
		expect(isEvent(above, undefined, 500)).toBe(false);
	});

	it('fires on a first reading for the current state when asked to', () => {
		expect(isEvent(changed, undefined, 60, true)).toBe(true);
		expect(isEvent(below, undefined, 10, true)).toBe(true);
		expect(isEvent(below, undefined, 100, true)).toBe(false);
		expect(isEvent(above, undefined, 500, true)).toBe(true);
		expect(isEvent(above, undefined, 100, true)).toBe(false);
	});
});
