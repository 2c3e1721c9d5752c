import type { EnkashResource } from '../../shared/types';
import { allocateCoins } from './allocate';

export const allocationResource: EnkashResource = {
	name: 'allocation',
	operationOptions: {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['allocation'] } },
		options: [
			{
				name: 'Allocate',
				value: 'allocate',
				description: 'Credit a user with the coins configured for an event',
				action: 'Allocate coins to a user',
			},
		],
		default: 'allocate',
	},
	operations: { allocate: allocateCoins },
};
