// @ts-check
/**
 * The benchmark's workflows: each creates `size` items for distinct users and
 * (but for the no-op one) allocates coins to each, through the Enkash Coins
 * node or n8n's HTTP Request node. User ids carry the execution id, so every
 * run credits new users and can be checked on its own.
 */

const { manualWorkflow } = require('../dev/workflows');

const COMPANY_ID = 'CEK0TCW2W8';
const EVENT = 'REFERRAL_EVENT';

const CREDENTIALS = {
	enkash: { id: 'BenchEnkashToken', name: 'Bench Enkash token', type: 'enkashCoinsApi' },
	header: { id: 'BenchHeaderAuth1', name: 'Bench bearer header', type: 'httpHeaderAuth' },
};

/** @param {number} size */
function itemNodes(size) {
	const users = `Array.from({ length: ${size} }, (_, i) => ({ userId: 'U' + $execution.id + '-' + i, requestId: 'R' + $execution.id + '-' + i }))`;
	return [
		{
			id: 'bench-users',
			name: 'Users',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				mode: 'raw',
				jsonOutput: `={{ JSON.stringify({ users: ${users} }) }}`,
				options: {},
			},
		},
		{
			id: 'bench-split',
			name: 'One Item Per User',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'users', options: {} },
		},
	];
}

/**
 * The node that allocates, after the items: every contender's is called
 * "Allocate" and sits in the same place.
 * @param {string} type @param {number} typeVersion @param {Record<string, unknown>} parameters
 * @param {'enkash' | 'header'} credential
 */
function allocateNode(type, typeVersion, parameters, credential) {
	const { id, name } = CREDENTIALS[credential];
	return {
		id: `bench-${type}`,
		name: 'Allocate',
		type,
		typeVersion,
		position: [600, 0],
		parameters,
		credentials: { [CREDENTIALS[credential].type]: { id, name } },
	};
}

/** @param {string} sandboxUrl @param {number} batchSize 0 for the node's defaults */
function httpRequestNode(sandboxUrl, batchSize) {
	return allocateNode(
		'n8n-nodes-base.httpRequest',
		4.5,
		{
			method: 'POST',
			url: `${sandboxUrl}/api/v0/enkash-coins/allocate-coin`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: {
				parameters: [
					{ name: 'companyId', value: COMPANY_ID },
					{ name: 'event', value: EVENT },
					{ name: 'userId', value: '={{ $json.userId }}' },
					{ name: 'requestId', value: '={{ $json.requestId }}' },
				],
			},
			options: batchSize ? { batching: { batch: { batchSize, batchInterval: 0 } } } : {},
		},
		'header',
	);
}

/**
 * @param {number} maxConcurrency 0 for the node's defaults
 * @param {Record<string, unknown>} [options] more of its options
 */
function enkashNode(maxConcurrency, options = {}) {
	return allocateNode(
		'n8n-nodes-enkash-coins.enkashCoins',
		1,
		{
			resource: 'allocation',
			operation: 'allocate',
			companyId: COMPANY_ID,
			eventName: EVENT,
			userId: '={{ $json.userId }}',
			requestId: '={{ $json.requestId }}',
			options: { ...options, ...(maxConcurrency ? { maxConcurrency } : {}) },
		},
		'enkash',
	);
}

/** @param {number} concurrency */
function floorNode(concurrency) {
	return allocateNode(
		'CUSTOM.enkashFloor',
		1,
		{ companyId: COMPANY_ID, eventName: EVENT, concurrency },
		'enkash',
	);
}

/**
 * @param {string} id
 * @param {number} size
 * @param {{ name: string } | undefined} allocateNode
 */
function benchWorkflow(id, size, allocateNode) {
	const nodes = [...itemNodes(size), ...(allocateNode ? [allocateNode] : [])];
	return manualWorkflow({ id, name: `Benchmark ${id}`, nodes });
}

module.exports = {
	COMPANY_ID,
	CREDENTIALS,
	EVENT,
	benchWorkflow,
	enkashNode,
	floorNode,
	httpRequestNode,
};
