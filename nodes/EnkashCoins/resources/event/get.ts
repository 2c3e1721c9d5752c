import type { EnkashOperation } from '../../../shared/types';
import { coinConfigIdField } from '../../../shared/input/fields';
import { endpoints } from '../../../shared/transport/endpoints';
import { asPayloadObject } from '../../../shared/output';
import { readText } from '../../../shared/input/parameters';

export const getEvent: EnkashOperation = {
	value: 'get',
	name: 'Get',
	description: 'Get an event configuration by its ID',
	action: 'Get an event configuration',

	fields: [coinConfigIdField],

	buildRequest(context, itemIndex) {
		return {
			method: 'GET',
			path: endpoints.event(readText(context, itemIndex, coinConfigIdField)),
		};
	},

	toOutput: (payload) => asPayloadObject(payload, 'event configuration'),
};
