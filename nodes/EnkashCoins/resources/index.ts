import type { INodeProperties } from 'n8n-workflow';

import type { EnkashOperation, EnkashResource } from '../shared/types';
import { allocationResource } from './allocation';
import { balanceResource } from './balance';
import { eventResource } from './event';

/** To add an operation: write its module in its resource folder and list it in that folder's index. */
export const resources: EnkashResource[] = [allocationResource, balanceResource, eventResource];

/** The operation selector and the fields of every operation, each shown only for its own operation. */
export function resourceProperties(): INodeProperties[] {
	return resources.flatMap((resource) => [
		resource.operationOptions,
		...Object.entries(resource.operations).flatMap(([operation, { fields }]) =>
			fields.map((field) => ({
				...field,
				displayOptions: { show: { resource: [resource.name], operation: [operation] } },
			})),
		),
	]);
}

export function findOperation(resource: string, operation: string): EnkashOperation | undefined {
	return resources.find(({ name }) => name === resource)?.operations[operation];
}
