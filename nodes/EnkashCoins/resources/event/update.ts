import type { IDataObject } from 'n8n-workflow';

import type { EnkashOperation } from '../../../shared/types';
import {
	amountField,
	coinConfigIdField,
	companyIdField,
	configurationField,
	eventNameField,
} from '../../../shared/input/fields';
import { endpoints } from '../../../shared/transport/endpoints';
import { asPayloadObject } from '../../../shared/output';
import { readText } from '../../../shared/input/parameters';
import { FieldError, requireText, requireWholeNumber } from '../../../shared/input/validation';

export const updateEvent: EnkashOperation = {
	value: 'update',
	name: 'Update',
	description: 'Change an event configuration',
	action: 'Update an event configuration',

	fields: [
		coinConfigIdField,
		{
			displayName: 'Update Fields',
			name: 'updateFields',
			type: 'collection',
			placeholder: 'Add field to change',
			default: {},
			description: 'Only the fields added here are changed',
			options: [
				{ ...amountField, required: false },
				{ ...companyIdField, required: false },
				{ ...configurationField },
				{ ...eventNameField, required: false },
			],
		},
	],

	buildRequest(context, itemIndex) {
		const coinConfigId = readText(context, itemIndex, coinConfigIdField);
		const updateFields = context.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const body: IDataObject = {};
		const { amount, configuration, companyId, eventName } = updateFields;
		if (amount !== undefined) body.amount = requireWholeNumber(amount, amountField.displayName);
		if (configuration !== undefined) {
			body.configuration = requireText(configuration, configurationField.displayName);
		}
		if (companyId !== undefined)
			body.companyId = requireText(companyId, companyIdField.displayName);
		if (eventName !== undefined) body.event = requireText(eventName, eventNameField.displayName);
		if (Object.keys(body).length === 0) {
			throw new FieldError(
				'Update Fields',
				'"Update Fields" is empty: there is nothing to change',
				'Add at least one field to change under "Update Fields".',
			);
		}
		return { method: 'PATCH', path: endpoints.event(coinConfigId), body };
	},

	toOutput: (payload) => asPayloadObject(payload, 'event configuration'),
};
