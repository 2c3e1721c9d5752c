import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** The node's Options collection, shown for every operation, and how the run reads it. */

const DEFAULT_MAX_CONCURRENCY = 20;
const DEFAULT_TIMEOUT_MS = 30000;

export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Full Response',
			name: 'fullResponse',
			type: 'boolean',
			default: false,
			description:
				'Whether to return the whole Enkash response (response_code, response_message and payload) instead of just the result',
		},
		{
			displayName: 'Include Input Fields',
			name: 'includeInputFields',
			type: 'boolean',
			default: false,
			description:
				'Whether each output item also carries the fields of its input item, next to the result, so that later nodes can use both without referring back to an earlier node. Where a field name is in both, the result’s field wins. With Settings › On Error set to Continue, an error item carries the input’s fields next to "error".',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrency',
			type: 'number',
			default: DEFAULT_MAX_CONCURRENCY,
			typeOptions: { minValue: 1, maxValue: 50, numberPrecision: 0 },
			description:
				'How many requests may be in flight at once across the input items. 1 sends them strictly one after another. When Enkash answers 429 (too many requests), the node sends fewer at once and paces them to the rate Enkash accepts.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			default: DEFAULT_TIMEOUT_MS,
			typeOptions: { minValue: 1000, numberPrecision: 0 },
			description:
				'Milliseconds to wait for Enkash to answer a request before it is retried (and, after the last retry, fails)',
		},
	],
};

export interface RunOptions {
	fullResponse: boolean;
	includeInputFields: boolean;
	maxConcurrency: number;
	timeoutMs: number;
}

export function readOptions(options: IDataObject): RunOptions {
	return {
		fullResponse: options.fullResponse === true,
		includeInputFields: options.includeInputFields === true,
		maxConcurrency: Math.max(
			1,
			Math.floor(Number(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY)) || 1,
		),
		timeoutMs: Number(options.timeout ?? DEFAULT_TIMEOUT_MS),
	};
}
