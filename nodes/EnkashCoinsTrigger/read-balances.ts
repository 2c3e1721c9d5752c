import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { balanceOutput, balanceRequest, type BalanceReading } from '../shared/balance';
import { readOptions } from '../shared/input/options';
import { sendEnkashRequest } from '../shared/transport/send';
import { loginStopsRun, openSession } from '../shared/transport/session';

/**
 * Reads the balance of every user, with the action node's transport, retries
 * and defaults (Max Concurrent Requests, Timeout). A refused token stops at the
 * first request; a user that cannot be read fails the poll, naming the user,
 * so that no crossing is missed or recorded from a partial reading.
 */
export async function readBalances(
	context: IPollFunctions,
	authentication: unknown,
	userIds: string[],
): Promise<BalanceReading[]> {
	const session = await openSession(context, authentication, readOptions({}));
	const readings: BalanceReading[] = new Array(userIds.length);
	const failures: string[] = [];
	let tokenFailure: Error | undefined;

	await session.flow.run(
		userIds.map((_, index) => index),
		async (index) => {
			if (tokenFailure) return;
			const request = balanceRequest(userIds[index]);
			try {
				const envelope = await sendEnkashRequest(context, session, request, index);
				readings[index] = balanceOutput(envelope.payload, request);
			} catch (error) {
				if (loginStopsRun(session)) tokenFailure ??= error as Error;
				else failures.push(`${userIds[index]}: ${(error as Error).message}`);
			}
		},
	);

	if (tokenFailure) throw tokenFailure;
	if (failures.length > 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Could not read the balance of ${failures.length} of ${userIds.length} watched users`,
			{
				description: `${failures.join('\n')}\nNothing fires until every balance can be read: correct or remove these user IDs.`,
			},
		);
	}
	return readings;
}
