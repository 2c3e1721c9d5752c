import type { INodeProperties } from 'n8n-workflow';

/** Fields that several operations share, so that they look and read the same everywhere. */

export const companyIdField: INodeProperties = {
	displayName: 'Company ID',
	name: 'companyId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. CEK0TCW2W8',
	description: 'The Enkash ID of the company the coins belong to',
};

export const eventNameField: INodeProperties = {
	displayName: 'Event Name',
	name: 'eventName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. REFERRAL_EVENT',
	description: 'Name of the business event, as configured in Enkash (usually upper snake case)',
};

export const userIdField: INodeProperties = {
	displayName: 'User ID',
	name: 'userId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. EKQZVMQK',
	description: 'The Enkash ID of the user',
};

export const coinConfigIdField: INodeProperties = {
	displayName: 'Coin Config ID',
	name: 'coinConfigId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. WCC12345',
	description: 'ID of the coin event configuration, returned when the event was created',
};

export const amountField: INodeProperties = {
	displayName: 'Amount',
	name: 'amount',
	type: 'number',
	required: true,
	default: 1,
	typeOptions: { minValue: 0, numberPrecision: 0 },
	description: 'Coins credited to a user each time the event happens (a whole number)',
};

/**
 * Enkash's docs name the two configuration types (every example sends DEFAULT)
 * but do not say how they differ.
 */
export const configurationField: INodeProperties = {
	displayName: 'Configuration',
	name: 'configuration',
	type: 'options',
	options: [
		{
			name: 'Custom',
			value: 'CUSTOM',
			description:
				'The other configuration type Enkash names. Its docs do not say how it differs from Default: use it only as Enkash tells you to.',
		},
		{
			name: 'Default',
			value: 'DEFAULT',
			description:
				'The configuration type every Enkash example sends: the event credits its Amount each time coins are allocated for it',
		},
	],
	default: 'DEFAULT',
	description:
		'Configuration type Enkash records for the event. Keep Default unless Enkash has asked you for Custom.',
};
