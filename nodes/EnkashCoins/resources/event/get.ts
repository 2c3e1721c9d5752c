import type { EnkashOperation } from '../../shared/types';
import { coinConfigIdField } from '../../shared/descriptions';
import { endpoints } from '../../shared/endpoints';
import { asPayloadObject } from '../../shared/output';
import { requireText } from '../../shared/validation';

export const getEvent: EnkashOperation = {
	fields: [coinConfigIdField],

	buildRequest(context, itemIndex) {
		const coinConfigId = requireText(context.getNodeParameter('coinConfigId', itemIndex), 'Coin Config ID');
		return { method: 'GET', path: endpoints.event(coinConfigId) };
	},

	toOutput: (payload) => asPayloadObject(payload, 'event configuration'),
};
