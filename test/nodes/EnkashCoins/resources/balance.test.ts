import { AUTHENTICATION_MODES, apiRequests, runnerFor, useSandbox } from '../../../helpers/sandbox';
import { COMPANY_ID, EVENT_NAME, USER_ID } from '../../../helpers/fixtures';

const sandbox = useSandbox();

function credit(userId: string, requestId: string) {
	const store = sandbox();
	if (store.events().length === 0)
		store.createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: 50 });
	return fetch(`${store.url}/api/v0/enkash-coins/allocate-coin`, {
		method: 'POST',
		headers: { authorization: `Bearer ${store.issueToken()}`, 'content-type': 'application/json' },
		body: JSON.stringify({ companyId: COMPANY_ID, event: EVENT_NAME, userId, requestId }),
	});
}

describe.each(AUTHENTICATION_MODES)('Balance resource, authenticated by %s', (authentication) => {
	const run = runnerFor(sandbox, authentication, { resource: 'balance', operation: 'get' });

	it('outputs each user with their balance as a number', async () => {
		await credit(USER_ID, 'REF-1');
		await credit(USER_ID, 'REF-2');
		sandbox().requests.length = 0;

		const { items } = await run({ userId: '={{ $json.userId }}' }, [
			{ userId: USER_ID },
			{ userId: 'EK6CYE6K' },
		]);

		expect(items).toEqual([
			{ json: { userId: USER_ID, balance: 100 }, pairedItem: { item: 0 } },
			{ json: { userId: 'EK6CYE6K', balance: 0 }, pairedItem: { item: 1 } },
		]);
		expect(apiRequests(sandbox()).map(({ method, path, query }) => [method, path, query])).toEqual([
			['GET', '/api/v0/coins/balance', { userId: USER_ID }],
			['GET', '/api/v0/coins/balance', { userId: 'EK6CYE6K' }],
		]);
	});

	it('returns the whole envelope with Full Response', async () => {
		const { items } = await run({ userId: 'EK6CYE6K', options: { fullResponse: true } });

		expect(items?.[0].json).toEqual({ response_code: 0, response_message: 'Success', payload: 0 });
	});

	it('names the field and the item when the user ID is blank', async () => {
		const { error } = await run({ userId: '={{ $json.userId }}' }, [
			{ userId: USER_ID },
			{ userId: '   ' },
		]);

		expect(error?.message).toBe('"User ID" is required but is empty [item 1]');
		expect(apiRequests(sandbox())).toHaveLength(0);
	});
});
