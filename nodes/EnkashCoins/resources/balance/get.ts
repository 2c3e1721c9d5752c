import type { EnkashOperation } from '../../../shared/types';
import { userIdField } from '../../../shared/input/fields';
import { balanceOutput, balanceRequest } from '../../../shared/balance';
import { readText } from '../../../shared/input/parameters';

export const getBalance: EnkashOperation = {
	value: 'get',
	name: 'Get',
	description: 'Get the coin balance of a user',
	action: 'Get the coin balance of a user',

	fields: [{ ...userIdField, description: 'The Enkash ID of the user whose coin balance to read' }],

	buildRequest: (context, itemIndex) => balanceRequest(readText(context, itemIndex, userIdField)),

	toOutput: balanceOutput,
};
