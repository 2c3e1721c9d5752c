// @ts-check
/**
 * Contender F, the floor: the least any node can do inside n8n to send the
 * benchmark's allocations. It reads each item's userId and requestId, posts
 * them through n8n's `httpRequestWithAuthentication` with the Enkash Coins
 * node's credential read once (as the node does), a fixed number in flight,
 * and nothing else: no validation, envelope check, retry or error mapping. Loaded by the benchmark
 * only (N8N_CUSTOM_EXTENSIONS), never shipped.
 */
class EnkashFloor {
	description = {
		displayName: 'Enkash Floor',
		name: 'enkashFloor',
		group: ['transform'],
		version: 1,
		description: 'Benchmark floor: allocation requests and nothing else',
		defaults: { name: 'Enkash Floor' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'enkashCoinsApi', required: true }],
		properties: [
			{ displayName: 'Company ID', name: 'companyId', type: 'string', default: '' },
			{ displayName: 'Event', name: 'eventName', type: 'string', default: '' },
			{ displayName: 'In Flight', name: 'concurrency', type: 'number', default: 5 },
		],
	};

	/** @this {import('n8n-workflow').IExecuteFunctions} */
	async execute() {
		const items = this.getInputData();
		const companyId = this.getNodeParameter('companyId', 0);
		const event = this.getNodeParameter('eventName', 0);
		const concurrency = /** @type {number} */ (this.getNodeParameter('concurrency', 0));
		const type = 'enkashCoinsApi';
		const data = await this.getCredentials(type);
		const credentialsDecrypted = {
			id: this.getNode().credentials?.[type]?.id ?? '',
			name: type,
			type,
			data,
		};
		const url = `${String(data.baseUrl).replace(/\/+$/, '')}/api/v0/enkash-coins/allocate-coin`;
		/** @type {import('n8n-workflow').INodeExecutionData[]} */
		const output = new Array(items.length);
		let next = 0;
		const sendNext = async () => {
			while (next < items.length) {
				const index = next++;
				const { userId, requestId } = items[index].json;
				const json = await this.helpers.httpRequestWithAuthentication.call(
					this,
					type,
					{
						method: 'POST',
						url,
						body: { companyId, event, userId, requestId },
						json: true,
						disableFollowRedirect: true,
					},
					{ credentialsDecrypted },
				);
				output[index] = { json, pairedItem: { item: index } };
			}
		};
		await Promise.all(Array.from({ length: concurrency }, sendNext));
		return [output];
	}
}

module.exports = { EnkashFloor };
