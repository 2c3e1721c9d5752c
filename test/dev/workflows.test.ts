/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SANDBOX_VALUES, loadExample, readExample } from '../../dev/workflows';

const EXAMPLES = fs
	.readdirSync(path.resolve(__dirname, '../../examples'))
	.filter((file) => file.endsWith('.json'));

describe('the example workflows', () => {
	it.each(EXAMPLES)('%s ships placeholders, never the sandbox’s company or events', (file) => {
		const shipped = readExample(file);
		for (const value of Object.values(SANDBOX_VALUES))
			expect(shipped).not.toMatch(new RegExp(`"${value}"`));
	});

	it('loadExample puts the sandbox’s values in place of the placeholders', () => {
		const allocate = loadExample('csv-campaign-allocate.json').nodes.find(
			({ name }: { name: string }) => name === 'Allocate Campaign Coins',
		);

		expect(allocate.parameters).toMatchObject({
			companyId: SANDBOX_VALUES.YOUR_COMPANY_ID,
			eventName: SANDBOX_VALUES.YOUR_CAMPAIGN_EVENT,
		});
		expect(readExample('csv-campaign-allocate.json')).toContain('"YOUR_COMPANY_ID"');
	});
});
