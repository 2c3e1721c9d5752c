import { useAllocationSandbox } from '../../../helpers/allocate';
import {
	ALLOCATE_FROM_INPUT,
	COMPANY_ID,
	EVENT_NAME,
	REFERRAL_ITEM,
	USER_ID,
} from '../../../helpers/fixtures';
import { AUTHENTICATION_MODES, apiRequests, runnerFor } from '../../../helpers/sandbox';

const { sandbox } = useAllocationSandbox();

describe.each(AUTHENTICATION_MODES)(
	'Allocation resource, authenticated by %s',
	(authentication) => {
		const run = runnerFor(sandbox, authentication, ALLOCATE_FROM_INPUT);

		it('credits each user the configured amount and says so', async () => {
			const { items, error } = await run({}, [
				{ userId: USER_ID, referralId: 'REF-1001' },
				{ userId: 'EK6CYE6K', referralId: 'REF-1002' },
			]);

			expect(error).toBeUndefined();
			expect(items).toEqual([
				{
					json: {
						allocated: true,
						requestId: 'REF-1001',
						companyId: COMPANY_ID,
						userId: USER_ID,
						event: EVENT_NAME,
						message: 'Successfully allocated enkash Coins',
					},
					pairedItem: { item: 0 },
				},
				{
					json: expect.objectContaining({
						allocated: true,
						requestId: 'REF-1002',
						userId: 'EK6CYE6K',
					}),
					pairedItem: { item: 1 },
				},
			]);
			expect(apiRequests(sandbox()).map(({ body }) => body)).toEqual([
				{
					companyId: COMPANY_ID,
					event: EVENT_NAME,
					userId: USER_ID,
					requestId: 'REF-1001',
				},
				{
					companyId: COMPANY_ID,
					event: EVENT_NAME,
					userId: 'EK6CYE6K',
					requestId: 'REF-1002',
				},
			]);
			expect(sandbox().balanceOf(USER_ID)).toBe(50);
			expect(sandbox().balanceOf('EK6CYE6K')).toBe(50);
		});

		it('never sends the Cookie headers of the vendor’s sample requests', async () => {
			await run({}, [REFERRAL_ITEM]);

			expect(apiRequests(sandbox())[0].headers.cookie).toBeUndefined();
			expect(apiRequests(sandbox())[0].headers.authorization).toMatch(/^Bearer [0-9a-f]+$/);
		});

		it('running the same allocations again credits nobody twice', async () => {
			const input = [{ userId: USER_ID, referralId: 'REF-1001' }];
			await run({}, input);
			const { items } = await run({}, input);

			expect(items?.[0].json.allocated).toBe(true);
			expect(sandbox().balanceOf(USER_ID)).toBe(50);
		});

		it('fails the item with the API message for an unknown event (HTTP 200, response_code 1)', async () => {
			const { items, error } = await run({ eventName: 'NO_SUCH_EVENT' }, [REFERRAL_ITEM]);

			expect(items).toBeUndefined();
			expect(error?.message).toBe(
				`Enkash rejected the request: No coin configuration found for event NO_SUCH_EVENT of company ${COMPANY_ID} (POST /api/v0/enkash-coins/allocate-coin)`,
			);
			expect(sandbox().balanceOf(USER_ID)).toBe(0);
		});

		it('returns the whole envelope with Full Response', async () => {
			const { items } = await run({ options: { fullResponse: true } }, [REFERRAL_ITEM]);

			expect(items?.[0].json).toEqual({
				payload: 'Successfully allocated enkash Coins',
				response_code: 0,
				response_message: 'Success',
			});
		});
	},
);
