import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { balanceOutput, balanceRequest, type BalanceReading } from '../shared/balance';
import { readOptions } from '../shared/input/options';
import { sendEnkashRequest } from '../shared/transport/send';
import { loginStopsRun, openSession } from '../shared/transport/session';

/**
 * Reads the balance of every user, with the action node's transport, retries
 * and defaults (Max Concurrent Requests, Timeout). A refused token stops at the
 * first request. A user that cannot be read fails the poll, naming the user,
 * so that no crossing is missed or recorded from a partial reading; with
 * `skipUnreadableUsers` the poll goes on with the others instead, and the
 * skipped users are written to n8n's log.
 */
export async function readBalances(
	context: IPollFunctions,
	authentication: unknown,
	userIds: string[],
	{ skipUnreadableUsers }: { skipUnreadableUsers: boolean },
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
		const summary = `Could not read the balance of ${failures.length} of ${userIds.length} watched users`;
		if (!skipUnreadableUsers) {
			throw new NodeOperationError(context.getNode(), summary, {
				description: `${failures.join('\n')}\nNothing fires until every balance can be read: correct or remove these user IDs, or turn on "Skip Unreadable Users".`,
			});
		}
		context.logger.warn(
			`${summary}; skipped them, they keep their last reading (workflow ${context.getWorkflow().id}, node "${context.getNode().name}"):\n${failures.join('\n')}`,
		);
	}
	return readings.filter((reading) => reading !== undefined);
}
