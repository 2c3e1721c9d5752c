/**
 * The operations registry (`nodes/EnkashCoins/resources/`) and what must
 * follow it by hand: the menus' order, and the end-to-end suite's "every
 * operation" workflow, checked here so that `npm test` names an operation
 * that is missing from it.
 */
import { resources } from '../../../nodes/EnkashCoins/resources';
import { everyOperationNodes } from '../../helpers/every-operation-workflow';
import { everyOperation } from '../../helpers/operations';

/** n8n's own order for an options menu: by displayed name (eslint-plugin-n8n-nodes-base's optionComparator). */
const byName = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

describe('the operations registry', () => {
	it('lists the resources in alphabetical order of their names', () => {
		const names = resources.map(({ name }) => name);
		expect(names).toEqual(byName(names));
	});

	it.each(resources.map((resource) => ({ resource, label: resource.name })))(
		'lists the operations of $label in alphabetical order of their names',
		({ resource }) => {
			const names = resource.operations.map(({ name }) => name);
			expect(names).toEqual(byName(names));
		},
	);

	it('has each operation in the end-to-end "every operation" workflow (test/helpers/every-operation-workflow.ts)', () => {
		const covered = everyOperationNodes('accessToken', 'EVENT', 'USER').map(({ parameters }) => {
			const { resource, operation } = parameters as Record<string, unknown>;
			return `${String(resource)}/${String(operation)}`;
		});
		const missing = everyOperation
			.filter(
				({ resource, operation }) => !covered.includes(`${resource.value}/${operation.value}`),
			)
			.map(({ label }) => label);
		expect(missing).toEqual([]);
	});
});
