/**
 * The "every operation" workflow of the end-to-end suite
 * (`test/e2e/workflows.e2e.test.ts`): one Enkash Coins node per operation in
 * the registry, in the order they run. It lives here, apart from the e2e
 * suite, so that a unit test (`test/nodes/EnkashCoins/registry.test.ts`) can
 * check with `npm test` that it has a node for every operation.
 */
import { EXAMPLE_CREDENTIALS } from '../../dev/workflows';
import { COMPANY_ID } from './fixtures';

export const NODE_TYPE = 'n8n-nodes-enkash-coins.enkashCoins';

export function enkashNode(
	name: string,
	x: number,
	authentication: 'accessToken' | 'password',
	parameters: Record<string, unknown>,
) {
	const credential =
		authentication === 'password' ? EXAMPLE_CREDENTIALS.password : EXAMPLE_CREDENTIALS.token;
	return {
		id: `${name.replace(/\W/g, '')}-${authentication}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters: { authentication, ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
	};
}

/** The nodes of the "every operation" workflow, one per operation in the registry, in the order they run. */
export function everyOperationNodes(
	authentication: 'accessToken' | 'password',
	event: string,
	userId: string,
) {
	return [
		enkashNode('Create Event', 200, authentication, {
			resource: 'event',
			operation: 'create',
			companyId: COMPANY_ID,
			eventName: event,
			amount: 20,
		}),
		enkashNode('Get Event', 400, authentication, {
			resource: 'event',
			operation: 'get',
			coinConfigId: '={{ $json.coinConfigId }}',
		}),
		enkashNode('Update Event', 600, authentication, {
			resource: 'event',
			operation: 'update',
			coinConfigId: '={{ $json.coinConfigId }}',
			updateFields: { amount: 30, configuration: 'CUSTOM' },
		}),
		enkashNode('Allocate Coins', 800, authentication, {
			resource: 'allocation',
			operation: 'allocate',
			companyId: COMPANY_ID,
			eventName: '={{ $json.event }}',
			userId,
			requestId: `REQ-${userId}`,
		}),
		enkashNode('Get Balance', 1000, authentication, {
			resource: 'balance',
			operation: 'get',
			userId: '={{ $json.userId }}',
			options: { fullResponse: true },
		}),
	];
}
