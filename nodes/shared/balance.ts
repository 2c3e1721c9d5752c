import type { EnkashRequest } from './types';
import { endpoints } from './transport/endpoints';
import { asBalance } from './output';

/** Reads one user's balance: Balance › Get and the Enkash Coins Trigger's polls. */
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
