import type { EnkashOperation, EnkashRequest } from '../../shared/types';
import { userIdField } from '../../shared/input/fields';
import { endpoints } from '../../shared/transport/endpoints';
import { asBalance } from '../../shared/output';
import { readText } from '../../shared/input/parameters';

/** Reads one user's balance; the Enkash Coins Trigger reads its watched users with it too. */
export function balanceRequest(userId: string): EnkashRequest {
	return { method: 'GET', path: endpoints.balance, qs: { userId } };
}

/** A user and their balance. */
export type BalanceReading = {
	userId: string;
	balance: number;
};

/** The user and the balance read by a {@link balanceRequest}. */
export function balanceOutput(payload: unknown, request: EnkashRequest): BalanceReading {
	return { userId: String(request.qs?.userId), balance: asBalance(payload) };
}

export const getBalance: EnkashOperation = {
	value: 'get',
	name: 'Get',
	description: 'Get the coin balance of a user',
	action: 'Get the coin balance of a user',

	fields: [{ ...userIdField, description: 'The Enkash ID of the user whose coin balance to read' }],

	buildRequest: (context, itemIndex) => balanceRequest(readText(context, itemIndex, userIdField)),

	toOutput: balanceOutput,
};
