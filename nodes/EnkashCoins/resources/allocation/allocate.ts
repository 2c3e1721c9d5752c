import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { EnkashOperation } from '../../../shared/types';
import { companyIdField, eventNameField, userIdField } from '../../../shared/input/fields';
import { endpoints } from '../../../shared/transport/endpoints';
import { readText } from '../../../shared/input/parameters';

const requestIdField: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. COIN_REQ1234567',
	description:
		'A unique, stable ID for this allocation, such as an order or referral ID mapped from the input. Enkash uses it to recognise a repeated allocation, so a retry never credits the user twice. Never use a random value.',
};

export const allocateCoins: EnkashOperation = {
	value: 'allocate',
	name: 'Allocate',
	description: 'Credit a user with the coins configured for an event',
	action: 'Allocate coins to a user',

	fields: [
		companyIdField,
		eventNameField,
		{ ...userIdField, description: 'The Enkash ID of the user to credit' },
		requestIdField,
	],

	buildRequest(context, itemIndex) {
		return {
			method: 'POST',
			path: endpoints.allocate,
			body: {
				companyId: readText(context, itemIndex, companyIdField),
				event: readText(context, itemIndex, eventNameField),
				userId: readText(context, itemIndex, userIdField),
				requestId: readText(context, itemIndex, requestIdField),
			},
		};
	},

	toOutput(payload, request) {
		const { requestId, companyId, userId, event } = request.body ?? {};
		return {
			allocated: true,
			requestId,
			companyId,
			userId,
			event,
			message: payload as IDataObject[string],
		};
	},
};
