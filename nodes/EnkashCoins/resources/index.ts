import type { INodeProperties } from 'n8n-workflow';

import type { EnkashOperation, EnkashResource } from '../../shared/types';
import { allocationResource } from './allocation';
import { balanceResource } from './balance';
import { eventResource } from './event';

/**
 * Every resource, in menu order. The Resource and Operation menus and the
 * fields shown for each operation are all built from this list: to add an
 * operation, write its module and list it in its resource's `index.ts`.
 */
export const resources: EnkashResource[] = [allocationResource, balanceResource, eventResource];
const defaultResource = allocationResource.value;

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: resources.map(({ name, value, description }) => ({ name, value, description })),
	default: defaultResource,
};

function operationProperty(resource: EnkashResource): INodeProperties {
	const defaultOperation = resource.defaultOperation.value;
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource.value] } },
		options: resource.operations.map(({ name, value, description, action }) => ({
			name,
			value,
			description,
			action,
		})),
		default: defaultOperation,
	};
}

/**
 * An operation's notice, shown above its fields while the operation is
 * selected. A notice is not a field (nothing is saved or sent), so unlike the
 * fields it is not shown by resource: it is shown by operation and hidden for
 * the other resources, and lists of an operation's fields leave it out.
 */
function noticeProperty(resource: EnkashResource, operation: EnkashOperation): INodeProperties[] {
	if (!operation.notice) return [];
	const otherResources = resources.filter(({ value }) => value !== resource.value);
	return [
		{
			displayName: operation.notice,
			name: `${operation.value}Notice`,
			type: 'notice',
			default: '',
			displayOptions: {
				show: { operation: [operation.value] },
				hide: { resource: otherResources.map(({ value }) => value) },
			},
		},
	];
}

/** The operation selector and the fields of every operation, each shown only for its own operation. */
export function operationProperties(): INodeProperties[] {
	return resources.flatMap((resource) => [
		operationProperty(resource),
		...resource.operations.flatMap((operation) => [
			...noticeProperty(resource, operation),
			...operation.fields.map((field) => ({
				...field,
				displayOptions: { show: { resource: [resource.value], operation: [operation.value] } },
			})),
		]),
	]);
}

/** The node's Options: those of every operation, and each operation's own while it is selected. */
export function optionsProperty(common: INodeProperties): INodeProperties {
	const own = resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			(operation.options ?? []).map((option) => ({
				...option,
				// Inside a collection, "/" names a parameter of the node rather than of the collection.
				displayOptions: {
					show: { '/resource': [resource.value], '/operation': [operation.value] },
				},
			})),
		),
	);
	const options = [...(common.options ?? []), ...own] as INodeProperties[];
	return { ...common, options: options.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
}

export function findOperation(resource: string, operation: string): EnkashOperation | undefined {
	return resources
		.find(({ value }) => value === resource)
		?.operations.find(({ value }) => value === operation);
}
