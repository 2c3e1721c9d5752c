/**
 * The item loop's output: Include Input Fields puts each input item's own
 * fields next to its result or its error, without `$('…')` expressions.
 */
import { useAllocationSandbox } from '../../helpers/allocate';
import { COMPANY_ID, EVENT_AMOUNT, EVENT_NAME } from '../../helpers/fixtures';
import { apiRequests } from '../../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

const ROWS = [
	{ userId: 'EKROW001', referralId: 'REF-ROW-1', name: 'Asha', city: 'Pune' },
	{ userId: '', referralId: 'REF-ROW-2', name: 'Blank', city: 'Goa' },
	{ userId: 'EKROW003', referralId: 'REF-ROW-3', name: 'Meera', city: 'Delhi' },
];

const withInputFields = { options: { includeInputFields: true } };

describe('Include Input Fields', () => {
	it('is off by default: an output item holds the result alone', async () => {
		const { items } = await allocate([ROWS[0]]);

		expect(Object.keys(items?.[0].json ?? {})).toEqual([
			'allocated',
			'requestId',
			'companyId',
			'userId',
			'event',
			'message',
		]);
	});

	it('puts each input item’s fields next to its result, paired with its input', async () => {
		const { items, error } = await allocate([ROWS[0], ROWS[2]], { parameters: withInputFields });

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					referralId: 'REF-ROW-1',
					name: 'Asha',
					city: 'Pune',
					allocated: true,
					requestId: 'REF-ROW-1',
					companyId: COMPANY_ID,
					userId: 'EKROW001',
					event: EVENT_NAME,
					message: 'Successfully allocated enkash Coins',
				},
				pairedItem: { item: 0 },
			},
			{
				json: expect.objectContaining({ name: 'Meera', city: 'Delhi', allocated: true }),
				pairedItem: { item: 1 },
			},
		]);
		expect(apiRequests(sandbox()).map(({ body }) => (body as { userId?: string }).userId)).toEqual([
			'EKROW001',
			'EKROW003',
		]);
	});

	it('lets the result’s field win where the input has one of the same name', async () => {
		const { items } = await allocate([{ ...ROWS[0], allocated: 'no', message: 'from the row' }], {
			parameters: withInputFields,
		});

		expect(items?.[0].json).toMatchObject({
			allocated: true,
			message: 'Successfully allocated enkash Coins',
			name: 'Asha',
		});
	});

	it('with On Error: Continue, puts the input’s fields next to the error of a blank row, with a hint that fits the setting, and credits the others', async () => {
		const { items, error } = await allocate(ROWS, {
			parameters: withInputFields,
			settings: { onError: 'continueRegularOutput' },
		});

		expect(error).toBeUndefined();
		expect(items?.map(({ json, pairedItem }) => [json, pairedItem])).toEqual([
			[expect.objectContaining({ name: 'Asha', allocated: true }), { item: 0 }],
			[
				{
					userId: '',
					referralId: 'REF-ROW-2',
					name: 'Blank',
					city: 'Goa',
					error: '"User ID" is required but is empty [item 1]',
					// The node already continues: the hint does not suggest On Error.
					description:
						'If some input items have no "User ID", filter them out with a Filter node before this one.',
				},
				{ item: 1 },
			],
			[expect.objectContaining({ name: 'Meera', allocated: true }), { item: 2 }],
		]);
		expect(sandbox().balanceOf('EKROW001')).toBe(EVENT_AMOUNT);
		expect(sandbox().balanceOf('EKROW003')).toBe(EVENT_AMOUNT);
		expect(apiRequests(sandbox())).toHaveLength(2);
	});

	it('with On Error: Continue (using error output), sends the blank row’s error to the error output and the other rows on', async () => {
		const { items, run } = await allocate(ROWS, {
			parameters: withInputFields,
			settings: { onError: 'continueErrorOutput' },
		});
		const errorOutput = run.data.resultData.runData['Enkash Coins'][0].data?.main[1];

		expect(items?.map(({ json }) => [json.name, json.allocated])).toEqual([
			['Asha', true],
			['Meera', true],
		]);
		// n8n rebuilds an error output item from its error (and, in a workflow, the paired input item).
		expect(errorOutput?.map(({ json, pairedItem }) => [json, pairedItem])).toEqual([
			[{ error: '"User ID" is required but is empty [item 1]' }, { item: 1 }],
		]);
		expect(apiRequests(sandbox())).toHaveLength(2);
	});
});
