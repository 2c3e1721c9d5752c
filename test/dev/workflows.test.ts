/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SANDBOX_VALUES, loadExample, readExample } from '../../dev/workflows';

const EXAMPLES = fs
	.readdirSync(path.resolve(__dirname, '../../examples'))
	.filter((file) => file.endsWith('.json'));

/** The user IDs of the sandbox's sample campaign file. */
const SAMPLE_CSV_USERS = fs
	.readFileSync(SANDBOX_VALUES.YOUR_CSV_FILE, 'utf8')
	.split('\n')
	.slice(1)
	.map((row) => row.split(',')[0])
	.filter(Boolean);

describe('the example workflows', () => {
	it.each(EXAMPLES)(
		'%s ships placeholders, never the sandbox’s company, events, users or files',
		(file) => {
			const shipped = readExample(file);
			for (const value of [...Object.values(SANDBOX_VALUES), ...SAMPLE_CSV_USERS]) {
				const escaped = value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
				// A whole word: YOUR_REFERRAL_EVENT is a placeholder, REFERRAL_EVENT the sandbox's event.
				expect(shipped).not.toMatch(new RegExp(`(?<![\\w])${escaped}(?![\\w])`));
			}
		},
	);

	it.each(EXAMPLES)('%s says in a sticky note what to change, each placeholder it uses', (file) => {
		const shipped = readExample(file);
		const { nodes } = JSON.parse(shipped) as {
			nodes: Array<{ type: string; parameters: { content?: string } }>;
		};
		const note = nodes.find(({ type }) => type === 'n8n-nodes-base.stickyNote')?.parameters.content;
		const placeholders = [...new Set(shipped.match(/\bYOUR_[A-Z_]+?(?=_\d|\b)/g))];

		expect(note).toMatch(/^## Before you run it\n- Pick your .*credential/);
		expect(placeholders.length).toBeGreaterThan(0);
		for (const placeholder of placeholders) expect(note).toContain(placeholder);
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

	it('loadExample replaces a placeholder after a line break too', () => {
		const trigger = loadExample('low-balance-alert-trigger.json').nodes.find(
			({ type }: { type: string }) => type === 'n8n-nodes-enkash-coins.enkashCoinsTrigger',
		);

		expect(trigger.parameters.userIds).toBe(
			[
				SANDBOX_VALUES.YOUR_USER_ID_1,
				SANDBOX_VALUES.YOUR_USER_ID_2,
				SANDBOX_VALUES.YOUR_USER_ID_3,
			].join('\n'),
		);
	});

	it('docs/sandbox.md gives the sandbox’s value of every placeholder', () => {
		const page = fs.readFileSync(path.resolve(__dirname, '../../docs/sandbox.md'), 'utf8');
		for (const [placeholder, value] of Object.entries(SANDBOX_VALUES)) {
			const shown = path.isAbsolute(value)
				? path.relative(path.resolve(__dirname, '../..'), value)
				: value;
			expect(page).toContain(`\`${placeholder.replace(/_\d$/, '')}`);
			expect(page).toContain(`\`${shown}\``);
		}
	});
});
