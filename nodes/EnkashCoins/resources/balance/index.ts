import type { EnkashResource } from '../../../shared/types';
import { getBalance } from './get';

export const balanceResource: EnkashResource = {
	value: 'balance',
	name: 'Balance',
	description: 'Read the coin balance of users',
	operations: [getBalance],
	defaultOperation: getBalance,
};
