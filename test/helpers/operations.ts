import { resources } from '../../nodes/EnkashCoins/resources';

/**
 * Every operation in the node's registry (`nodes/EnkashCoins/resources/`),
 * with its resource: the tests that cover each operation iterate this list,
 * so a new operation is covered, or fails naming itself.
 */
export const everyOperation = resources.flatMap((resource) =>
	resource.operations.map((operation) => ({
		resource,
		operation,
		label: `${resource.name} › ${operation.name}`,
	})),
);
