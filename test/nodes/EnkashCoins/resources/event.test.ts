import { AUTHENTICATION_MODES, apiRequests, runnerFor, useSandbox } from '../../../helpers/sandbox';
import { COMPANY_ID, EVENT_NAME } from '../../../helpers/fixtures';

const sandbox = useSandbox();

describe.each(AUTHENTICATION_MODES)('Event resource, authenticated by %s', (authentication) => {
	const run = runnerFor(sandbox, authentication, { resource: 'event' });

	describe('Create', () => {
		it('creates the configuration and outputs the payload', async () => {
			const { items, error } = await run({
				operation: 'create',
				companyId: 'CEKEKCARDS',
				eventName: 'MEAL_CARD_PAYMENT',
				amount: 6,
				configuration: 'DEFAULT',
			});

			expect(error).toBeUndefined();
			expect(items).toEqual([
				{
					json: {
						coinConfigId: expect.stringMatching(/^WCC\d+$/),
						configuration: 'DEFAULT',
						companyId: 'CEKEKCARDS',
						event: 'MEAL_CARD_PAYMENT',
						amount: 6,
					},
					pairedItem: { item: 0 },
				},
			]);
			expect(apiRequests(sandbox())).toEqual([
				expect.objectContaining({
					method: 'POST',
					path: '/api/v0/enkash-coins/create-coins-config',
					body: {
						configuration: 'DEFAULT',
						companyId: 'CEKEKCARDS',
						event: 'MEAL_CARD_PAYMENT',
						amount: 6,
					},
				}),
			]);
			expect(sandbox().events()).toHaveLength(1);
		});

		it('creates one configuration per item from expressions', async () => {
			const { items } = await run(
				{
					operation: 'create',
					companyId: '={{ $json.company }}',
					eventName: '={{ $json.event }}',
					amount: '={{ $json.coins }}',
					configuration: 'CUSTOM',
				},
				[
					{ company: COMPANY_ID, event: EVENT_NAME, coins: 50 },
					{ company: COMPANY_ID, event: 'INVOICE_PAYMENT', coins: '10' },
				],
			);

			expect(items?.map(({ json }) => [json.event, json.amount, json.configuration])).toEqual([
				[EVENT_NAME, 50, 'CUSTOM'],
				['INVOICE_PAYMENT', 10, 'CUSTOM'],
			]);
		});

		it('fails the item with the API message when the event already exists (HTTP 200, response_code 1)', async () => {
			sandbox().createEvent({ companyId: 'CEKEKCARDS', event: 'MEAL_CARD_PAYMENT', amount: 6 });

			const { items, error } = await run({
				operation: 'create',
				companyId: 'CEKEKCARDS',
				eventName: 'MEAL_CARD_PAYMENT',
				amount: 8,
			});

			expect(items).toBeUndefined();
			expect(error?.message).toContain(
				'Enkash rejected the request: Coin configuration already exists for event MEAL_CARD_PAYMENT of company CEKEKCARDS',
			);
		});

		it('returns the whole envelope with Full Response', async () => {
			const { items } = await run({
				operation: 'create',
				companyId: 'CEKEKCARDS',
				eventName: EVENT_NAME,
				amount: 3,
				options: { fullResponse: true },
			});

			expect(items?.[0].json).toEqual({
				response_code: 0,
				response_message: 'Success',
				payload: expect.objectContaining({ event: EVENT_NAME, amount: 3 }),
			});
		});
	});

	describe('Get', () => {
		it('outputs the configuration', async () => {
			const { coinConfigId } = sandbox().createEvent({
				companyId: COMPANY_ID,
				event: EVENT_NAME,
				amount: 50,
			});

			const { items } = await run({ operation: 'get', coinConfigId });

			expect(items?.[0].json).toEqual({
				coinConfigId,
				configuration: 'DEFAULT',
				companyId: COMPANY_ID,
				event: EVENT_NAME,
				amount: 50,
			});
			expect(apiRequests(sandbox())[0]).toMatchObject({
				method: 'GET',
				path: `/api/v0/enkash-coins/${coinConfigId}`,
			});
		});

		it('fails with the status and the API message for an unknown ID', async () => {
			const { error } = await run({ operation: 'get', coinConfigId: 'WCC999999' });

			expect(error?.message).toBe(
				'Enkash answered HTTP 404: Coin configuration WCC999999 not found (GET /api/v0/enkash-coins/WCC999999)',
			);
			expect(error?.description).toMatch(/Check the ID/);
		});
	});

	describe('Update', () => {
		it('sends only the fields given, the event name as "event"', async () => {
			const { coinConfigId } = sandbox().createEvent({
				companyId: COMPANY_ID,
				event: 'INVOICE_PAYMENT',
				amount: 5,
			});

			const { items } = await run({
				operation: 'update',
				coinConfigId,
				updateFields: { amount: 10, eventName: 'INVOICE_PAID' },
			});

			expect(apiRequests(sandbox())[0]).toMatchObject({
				method: 'PATCH',
				path: `/api/v0/enkash-coins/${coinConfigId}`,
				body: { amount: 10, event: 'INVOICE_PAID' },
			});
			expect(items?.[0].json).toMatchObject({
				coinConfigId,
				amount: 10,
				event: 'INVOICE_PAID',
				configuration: 'DEFAULT',
			});
		});

		it('refuses to send an update with no field to change', async () => {
			const { error } = await run({
				operation: 'update',
				coinConfigId: 'WCC100001',
				updateFields: {},
			});

			expect(error?.message).toBe('"Update Fields" is empty: there is nothing to change [item 0]');
			expect(apiRequests(sandbox())).toHaveLength(0);
		});
	});
});
