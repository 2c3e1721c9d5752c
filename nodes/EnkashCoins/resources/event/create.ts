import type { EnkashOperation } from '../../shared/types';
import { amountField, companyIdField, configurationField, eventNameField } from '../../shared/descriptions';
import { endpoints } from '../../shared/endpoints';
import { asPayloadObject } from '../../shared/output';
import { requireText, requireWholeNumber } from '../../shared/validation';

export const createEvent: EnkashOperation = {
	fields: [companyIdField, eventNameField, amountField, configurationField],

	buildRequest(context, itemIndex) {
		return {
			method: 'POST',
			path: endpoints.createEvent,
			body: {
				configuration: requireText(context.getNodeParameter('configuration', itemIndex), 'Configuration'),
				companyId: requireText(context.getNodeParameter('companyId', itemIndex), 'Company ID'),
				event: requireText(context.getNodeParameter('eventName', itemIndex), 'Event Name'),
				amount: requireWholeNumber(context.getNodeParameter('amount', itemIndex), 'Amount'),
			},
		};
	},

	toOutput: (payload) => asPayloadObject(payload, 'event configuration'),
};
