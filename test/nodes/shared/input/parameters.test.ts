import { plainJsonPath, valueAtPath } from '../../../../nodes/shared/input/parameters';
import { USER_ID } from '../../../helpers/fixtures';

describe('plainJsonPath', () => {
	it.each([
		['={{ $json.userId }}', ['userId']],
		['={{$json.userId}}', ['userId']],
		['={{ $json.body.referrerId }}', ['body', 'referrerId']],
		['={{ $json["referral id"] }}', ['referral id']],
		["={{ $json['user-id'].value }}", ['user-id', 'value']],
		['={{ $json.$id }}', ['$id']],
	])('reads %s as the path %p', (expression, path) => {
		expect(plainJsonPath(expression)).toEqual(path);
	});

	it.each([
		['a fixed value', USER_ID],
		['a call', '={{ $json.userId.trim() }}'],
		['text around the expression', '=REF-{{ $json.id }}'],
		['two expressions', '={{ $json.a }}{{ $json.b }}'],
		['another node’s data', "={{ $('Webhook').item.json.userId }}"],
		['an index', '={{ $json.users[0] }}'],
		['an operator', '={{ $json.a || $json.b }}'],
		['$input', '={{ $input.item.json.userId }}'],
		['a number', 5],
		['nothing', undefined],
	])('leaves %s to n8n', (_label, value) => {
		expect(plainJsonPath(value)).toBeUndefined();
	});
});

describe('valueAtPath', () => {
	const json = { userId: 'EK1', body: { referrerId: 'EK2', count: 3 }, empty: null };

	it('reads top-level and nested values with their types', () => {
		expect(valueAtPath(json, ['userId'])).toBe('EK1');
		expect(valueAtPath(json, ['body', 'referrerId'])).toBe('EK2');
		expect(valueAtPath(json, ['body', 'count'])).toBe(3);
		expect(valueAtPath(json, ['body'])).toEqual({ referrerId: 'EK2', count: 3 });
	});

	it('gives undefined where the path leads nowhere', () => {
		expect(valueAtPath(json, ['missing'])).toBeUndefined();
		expect(valueAtPath(json, ['empty', 'x'])).toBeUndefined();
		expect(valueAtPath(json, ['userId', 'x'])).toBeUndefined();
		expect(valueAtPath(undefined, ['userId'])).toBeUndefined();
	});
});
