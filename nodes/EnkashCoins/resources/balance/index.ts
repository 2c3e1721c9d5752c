import type { EnkashResource } from '../../shared/types';
import { getBalance } from './get';

export const balanceResource: EnkashResource = {
	name: 'balance',
	operationOptions: {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['balance'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the coin balance of a user',
				action: 'Get the coin balance of a user',
			},
		],
		default: 'get',
	},
	operations: { get: getBalance },
};
