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
	placeholder: 'e.g. DIWALI-2026-{{ $json.userId }}',
	hint: 'The same for this allocation every time the workflow runs, never random: a new Request ID is a new credit',
	description:
		'Enkash declares the Request ID unique, so a rerun or a retry must send the same one for the same allocation: build it from the campaign and the user with an expression, for example DIWALI-2026- followed by the user ID as the placeholder shows, or map an order or referral ID. Never use a random value or the time. Enkash’s docs do not say what it answers to a Request ID it has seen.',
};

/** The cap an AI Agent's tool applies unless the option is set: an agent can call Allocate again and again. */
export const TOOL_ALLOCATION_CAP = 10;

export const dryRunOption: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to check every item and show what would be sent, without sending anything to Enkash (not even a token request). Each output item says what it would send; a hint above the output sums it up.',
};

export const maxAllocationsOption: INodeProperties = {
	displayName: 'Max Allocations per Execution',
	name: 'maxAllocationsPerExecution',
	type: 'number',
	default: 0,
	typeOptions: { minValue: 0, numberPrecision: 0 },
	description: `How many allocations one execution may send, across its items, batches (Loop Over Items) and an agent's tool calls; items beyond it fail without being sent. 0 means no cap. As an AI Agent's tool the cap is ${TOOL_ALLOCATION_CAP} unless set here.`,
};

export const allocateCoins: EnkashOperation = {
	value: 'allocate',
	name: 'Allocate',
	description: 'Credit a user with the coins configured for an event',
	action: 'Allocate coins to a user (real coins, cannot be undone)',
	notice:
		'The user is credited with the Amount configured for the event (Event › Create or Update): an allocation carries no amount of its own.',

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

	options: [dryRunOption, maxAllocationsOption],

	credit: {
		key: (request) => String(request.body?.requestId),
		userAndEvent: ({ body }) => ({
			userId: String(body?.userId),
			event: `${String(body?.event)} (company ${String(body?.companyId)})`,
		}),
		safeguards: (options, asTool) => ({
			dryRun: options[dryRunOption.name] === true,
			cap: Math.max(
				0,
				Math.floor(
					Number(options[maxAllocationsOption.name] ?? (asTool ? TOOL_ALLOCATION_CAP : 0)),
				) || 0,
			),
		}),
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
