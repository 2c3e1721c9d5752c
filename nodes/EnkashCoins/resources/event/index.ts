import type { EnkashResource } from '../../shared/types';
import { createEvent } from './create';
import { getEvent } from './get';
import { updateEvent } from './update';

export const eventResource: EnkashResource = {
	name: 'event',
	operationOptions: {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Configure how many coins an event earns',
				action: 'Create an event configuration',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an event configuration by its ID',
				action: 'Get an event configuration',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change an event configuration',
				action: 'Update an event configuration',
			},
		],
		default: 'create',
	},
	operations: { create: createEvent, get: getEvent, update: updateEvent },
};
