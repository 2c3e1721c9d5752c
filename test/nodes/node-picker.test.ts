/**
 * The node picker's entry. n8n's editor shows a node and its trigger as one
 * entry, named after the node and described by the trigger: the trigger's
 * description replaces the node's (`generateMergedNodesAndActions` in n8n's
 * editor). So the Trigger's description speaks for the whole package.
 */
import { EnkashCoins } from '../../nodes/EnkashCoins/EnkashCoins.node';
import { EnkashCoinsTrigger } from '../../nodes/EnkashCoinsTrigger/EnkashCoinsTrigger.node';

describe('the node picker’s entry for “Enkash”', () => {
	const node = new EnkashCoins().description;
	const trigger = new EnkashCoinsTrigger().description;

	it('is one entry: n8n merges a node with the trigger named after it', () => {
		expect(trigger.name.replace('Trigger', '')).toBe(node.name);
	});

	it('describes what the package does, actions and trigger alike', () => {
		expect(trigger.description).toMatch(/coins/);
		for (const capability of [/credit/i, /balances/, /events/, /start a workflow/])
			expect(trigger.description).toMatch(capability);
	});
});
