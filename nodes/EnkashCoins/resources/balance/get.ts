import type { EnkashOperation } from '../../shared/types';
import { userIdField } from '../../shared/descriptions';
import { endpoints } from '../../shared/endpoints';
import { asBalance } from '../../shared/output';
import { requireText } from '../../shared/validation';

export const getBalance: EnkashOperation = {
	fields: [{ ...userIdField, description: 'The Enkash ID of the user whose coin balance to read' }],

	buildRequest(context, itemIndex) {
		const userId = requireText(context.getNodeParameter('userId', itemIndex), 'User ID');
		return { method: 'GET', path: endpoints.balance, qs: { userId } };
	},

	toOutput: (payload, request) => ({ userId: request.qs?.userId, balance: asBalance(payload) }),
};
