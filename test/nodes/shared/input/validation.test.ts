import {
	FieldError,
	MAX_ID_LENGTH,
	requireText,
	requireWholeNumber,
} from '../../../../nodes/shared/input/validation';
import { COMPANY_ID } from '../../../helpers/fixtures';

function fieldErrorOf(check: () => unknown): FieldError {
	let thrown: unknown;
	try {
		check();
	} catch (error) {
		thrown = error;
	}
	expect(thrown).toBeInstanceOf(FieldError);
	return thrown as FieldError;
}

describe('requireText', () => {
	it('returns the text trimmed', () => {
		expect(requireText(`  ${COMPANY_ID} `, 'Company ID')).toBe(COMPANY_ID);
	});

	it('keeps non-ASCII text as it is', () => {
		expect(requireText('उपयोगकर्ता-७', 'User ID')).toBe('उपयोगकर्ता-७');
	});

	it('accepts a number, as ids mapped from spreadsheets often are', () => {
		expect(requireText(12345, 'User ID')).toBe('12345');
	});

	it.each([
		['an empty string', ''],
		['only whitespace', ' \t\n '],
		['undefined', undefined],
		['null', null],
	])('rejects %s, naming the field', (_label, value) => {
		const error = fieldErrorOf(() => requireText(value, 'Company ID'));
		expect(error.field).toBe('Company ID');
		expect(error.message).toBe('"Company ID" is required but is empty');
		expect(error.hintFor(false)).toBe(
			'If some input items have no "Company ID", filter them out with a Filter node before this one. Or set this node\'s Settings › On Error to "Continue" (or "Continue (using error output)") so that the other items go on.',
		);
	});

	it('does not suggest On Error: Continue to a node already set to continue', () => {
		const error = fieldErrorOf(() => requireText('', 'User ID'));

		expect(error.hintFor(true)).toBe(
			'If some input items have no "User ID", filter them out with a Filter node before this one.',
		);
	});

	it.each([
		['an object', { id: 1 }, 'an object'],
		['a list', ['a', 'b'], 'a list'],
		['a boolean', true, 'a boolean'],
		['NaN', Number.NaN, 'a number'],
	])('rejects %s with the type it got', (_label, value, described) => {
		const error = fieldErrorOf(() => requireText(value, 'User ID'));
		expect(error.message).toBe(`"User ID" must be text, but the expression gave ${described}`);
		expect(error.hint).toMatch(/single text value/);
	});

	it('rejects text longer than any id', () => {
		const error = fieldErrorOf(() => requireText('x'.repeat(100 * 1024), 'Request ID'));
		expect(error.message).toBe(
			`"Request ID" is too long (102400 characters, at most ${MAX_ID_LENGTH})`,
		);
		expect(error.hint).toMatch(/^Map the single ID into this field/);
	});
});

describe('requireWholeNumber', () => {
	it.each([
		[0, 0],
		[25, 25],
		['40', 40],
		[' 7 ', 7],
	])('accepts %p as %p', (value, expected) => {
		expect(requireWholeNumber(value, 'Amount')).toBe(expected);
	});

	it.each([
		[2.5, '2.5'],
		[-1, '-1'],
		['-3', '"-3"'],
		['1e3', '"1e3"'],
		['ten', '"ten"'],
		['', '""'],
		[Number.NaN, 'NaN'],
		[Number.POSITIVE_INFINITY, 'Infinity'],
		[{ amount: 1 }, 'an object'],
		[[1], 'a list'],
		[undefined, 'nothing'],
	])('rejects %p, saying what it got', (value, shown) => {
		const error = fieldErrorOf(() => requireWholeNumber(value, 'Amount'));
		expect(error.field).toBe('Amount');
		expect(error.message).toBe(`"Amount" must be a whole number of 0 or more, got ${shown}`);
		expect(error.hint).toBe(
			'Give a whole number of coins such as 10, without decimals, sign or unit.',
		);
	});
});
