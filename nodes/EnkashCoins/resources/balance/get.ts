import type { EnkashOperation } from '../../shared/types';
import { userIdField } from '../../shared/input/fields';
import { endpoints } from '../../shared/transport/endpoints';
import { asBalance } from '../../shared/output';
import { readText } from '../../shared/input/parameters';

export const getBalance: EnkashOperation = {
	value: 'get',
	name: 'Get',
	description: 'Get the coin balance of a user',
	action: 'Get the coin balance of a user',

	fields: [{ ...userIdField, description: 'The Enkash ID of the user whose coin balance to read' }],

	buildRequest(context, itemIndex) {
		return {
			method: 'GET',
			path: endpoints.balance,
			qs: { userId: readText(context, itemIndex, userIdField) },
		};
	},

	toOutput: (payload, request) => ({ userId: request.qs?.userId, balance: asBalance(payload) }),
};
