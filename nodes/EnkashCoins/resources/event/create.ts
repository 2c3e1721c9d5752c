import type { EnkashOperation } from '../../../shared/types';
import {
	amountField,
	companyIdField,
	configurationField,
	eventNameField,
} from '../../../shared/input/fields';
import { endpoints } from '../../../shared/transport/endpoints';
import { asPayloadObject } from '../../../shared/output';
import { readText, readWholeNumber } from '../../../shared/input/parameters';

export const createEvent: EnkashOperation = {
	value: 'create',
	name: 'Create',
	description: 'Configure how many coins an event earns',
	action: 'Create an event configuration',

	fields: [companyIdField, eventNameField, amountField, configurationField],

	buildRequest(context, itemIndex) {
		return {
			method: 'POST',
			path: endpoints.createEvent,
			body: {
				configuration: readText(context, itemIndex, configurationField),
				companyId: readText(context, itemIndex, companyIdField),
				event: readText(context, itemIndex, eventNameField),
				amount: readWholeNumber(context, itemIndex, amountField),
			},
		};
	},

	toOutput: (payload) => asPayloadObject(payload, 'event configuration'),
};
