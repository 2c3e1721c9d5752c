/** The node's description: the workflow contract saved workflows depend on. */
import type { INodeProperties } from 'n8n-workflow';

import { EnkashCoins } from '../../../nodes/EnkashCoins/EnkashCoins.node';

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
		expect(values(property('resource')[0])).toEqual(['allocation', 'balance', 'event']);
		expect(values(property('operation', 'event')[0])).toEqual(['create', 'get', 'update']);
		expect(values(property('operation', 'allocation')[0])).toEqual(['allocate']);
		expect(values(property('operation', 'balance')[0])).toEqual(['get']);
		expect(property('resource')[0].default).toBe('allocation');
		expect(property('operation', 'event')[0].default).toBe('create');
		expect(property('operation', 'allocation')[0].default).toBe('allocate');
		expect(property('operation', 'balance')[0].default).toBe('get');
	});

	it('gives every operation an action for the node panel and AI tools', () => {
		for (const selector of property('operation')) {
			for (const option of selector.options as Array<{ action?: string }>)
				expect(option.action).toBeTruthy();
		}
	});

	it('has the contract’s fields for each operation', () => {
		expect({
			eventCreate: fieldsOf('event', 'create'),
			eventGet: fieldsOf('event', 'get'),
			eventUpdate: fieldsOf('event', 'update'),
			allocationAllocate: fieldsOf('allocation', 'allocate'),
			balanceGet: fieldsOf('balance', 'get'),
		}).toEqual({
			eventCreate: ['companyId', 'eventName', 'amount', 'configuration'],
			eventGet: ['coinConfigId'],
			eventUpdate: ['coinConfigId', 'updateFields'],
			allocationAllocate: ['companyId', 'eventName', 'userId', 'requestId'],
			balanceGet: ['userId'],
		});
		const updateFields = description.properties.find(({ name }) => name === 'updateFields');
		expect((updateFields?.options as INodeProperties[]).map(({ name }) => name)).toEqual([
			'amount',
			'companyId',
			'configuration',
			'eventName',
		]);
	});

	it('has the options fullResponse (off) and maxConcurrency (5) for every operation', () => {
		const options = property('options')[0];
		expect(options.displayOptions).toBeUndefined();
		expect(options.options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'fullResponse', type: 'boolean', default: false }),
				expect.objectContaining({ name: 'maxConcurrency', type: 'number', default: 5 }),
			]),
		);
	});
});
