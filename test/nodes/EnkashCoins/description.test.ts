/** The node's description: the workflow contract saved workflows depend on. */
import type { INodeProperties } from 'n8n-workflow';

import { EnkashCoins } from '../../../nodes/EnkashCoins/EnkashCoins.node';
import { resources } from '../../../nodes/EnkashCoins/resources';
import { everyOperation } from '../../helpers/operations';

/**
 * The fields of each operation (`resource/operation`), in the order the
 * panel shows them: the names saved workflows hold, never renamed.
 * Every operation of the registry must have an entry.
 */
const CONTRACT_FIELDS: Record<string, string[]> = {
	'allocation/allocate': ['companyId', 'eventName', 'userId', 'requestId'],
	'balance/get': ['userId'],
	'event/create': ['companyId', 'eventName', 'amount', 'configuration'],
	'event/get': ['coinConfigId'],
	'event/update': ['coinConfigId', 'updateFields'],
};

describe('the node description (the workflow contract)', () => {
	const { description } = new EnkashCoins();
	const property = (name: string, resource?: string) =>
		description.properties.filter(
			(candidate) =>
				candidate.name === name &&
				(resource === undefined || candidate.displayOptions?.show?.resource?.includes(resource)),
		);
	const values = (candidate: INodeProperties | undefined) =>
		(candidate?.options as Array<{ value: string }>).map(({ value }) => value);
	const fieldsOf = (resource: string, operation: string) =>
		description.properties
			.filter(
				(candidate) =>
					candidate.displayOptions?.show?.resource?.includes(resource) &&
					candidate.displayOptions?.show?.operation?.includes(operation),
			)
			.map(({ name }) => name);

	it('is the Enkash Coins node, usable by AI agents', () => {
		expect(description).toMatchObject({
			name: 'enkashCoins',
			displayName: 'Enkash Coins',
			version: 1,
			usableAsTool: true,
		});
	});

	it('offers the two credential types by authentication', () => {
		expect(description.credentials).toEqual([
			expect.objectContaining({
				name: 'enkashCoinsApi',
				displayOptions: { show: { authentication: ['accessToken'] } },
			}),
			expect.objectContaining({
				name: 'enkashCoinsPasswordApi',
				displayOptions: { show: { authentication: ['password'] } },
			}),
		]);
		expect(property('authentication')[0]).toMatchObject({ default: 'accessToken' });
		expect(values(property('authentication')[0])).toEqual(['accessToken', 'password']);
	});

	it('has the contract’s resources and operations, and the defaults saved workflows leave out', () => {
		expect(values(property('resource')[0])).toEqual(
			expect.arrayContaining(['allocation', 'balance', 'event']),
		);
		expect(values(property('operation', 'event')[0])).toEqual(
			expect.arrayContaining(['create', 'get', 'update']),
		);
		expect(values(property('operation', 'allocation')[0])).toEqual(
			expect.arrayContaining(['allocate']),
		);
		expect(values(property('operation', 'balance')[0])).toEqual(expect.arrayContaining(['get']));
		expect(property('resource')[0].default).toBe('allocation');
		expect(property('operation', 'event')[0].default).toBe('create');
		expect(property('operation', 'allocation')[0].default).toBe('allocate');
		expect(property('operation', 'balance')[0].default).toBe('get');
	});

	it('offers every resource and operation of the registry, in its order, each with one menu', () => {
		expect(values(property('resource')[0])).toEqual(resources.map(({ value }) => value));
		expect(property('operation')).toHaveLength(resources.length);
		for (const resource of resources) {
			const selector = property('operation', resource.value);
			expect(selector).toHaveLength(1);
			expect(values(selector[0])).toEqual(resource.operations.map(({ value }) => value));
			expect(selector[0].default).toBe(resource.defaultOperation.value);
		}
	});

	it.each(everyOperation)(
		'shows $label with its action and exactly its own fields',
		({ resource, operation }) => {
			const option = (
				property('operation', resource.value)[0].options as Array<{
					value: string;
					action?: string;
				}>
			).find(({ value }) => value === operation.value);
			expect(option?.action).toBe(operation.action);
			// What the nodes panel and AI agents show: a sentence starting with a verb, no full stop.
			expect(operation.action).toMatch(/^[A-Z][a-z]+ \S.*[^.\s]$/);
			expect(fieldsOf(resource.value, operation.value)).toEqual(
				operation.fields.map(({ name }) => name),
			);
		},
	);

	it('gives each operation an action of its own', () => {
		const actions = everyOperation.map(({ operation }) => operation.action);
		expect(new Set(actions).size).toBe(actions.length);
	});

	it.each(everyOperation)('has the contract’s fields for $label', ({ resource, operation }) => {
		const key = `${resource.value}/${operation.value}`;
		// A new operation needs its line in CONTRACT_FIELDS below: the fields saved workflows will hold.
		expect({ [key]: CONTRACT_FIELDS[key] ?? 'no entry in CONTRACT_FIELDS' }).toEqual({
			[key]: fieldsOf(resource.value, operation.value),
		});
	});

	it('has no contract fields for an operation the registry lacks', () => {
		const registered = everyOperation.map(
			({ resource, operation }) => `${resource.value}/${operation.value}`,
		);
		expect(Object.keys(CONTRACT_FIELDS).filter((key) => !registered.includes(key))).toEqual([]);
	});

	it('has the contract’s update fields', () => {
		const updateFields = description.properties.find(({ name }) => name === 'updateFields');
		expect((updateFields?.options as INodeProperties[]).map(({ name }) => name)).toEqual([
			'amount',
			'companyId',
			'configuration',
			'eventName',
		]);
	});

	it('has the options fullResponse (off) and maxConcurrency (20) for every operation', () => {
		const options = property('options')[0];
		expect(options.displayOptions).toBeUndefined();
		expect(options.options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'fullResponse', type: 'boolean', default: false }),
				expect.objectContaining({ name: 'maxConcurrency', type: 'number', default: 20 }),
			]),
		);
	});
});
