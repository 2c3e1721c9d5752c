import type { EnkashResource } from '../../../shared/types';
import { allocateCoins } from './allocate';

export const allocationResource: EnkashResource = {
	value: 'allocation',
	name: 'Allocation',
	description: 'Credit coins to users',
	operations: [allocateCoins],
	defaultOperation: allocateCoins,
};
