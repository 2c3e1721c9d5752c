import { NOT_ACCEPTED_MESSAGE } from '../../../credentials/common/messages';
import { testCredential, triggerPoller } from '../../helpers/n8n-engine';
import {
	AUTHENTICATION_MODES,
	apiRequests,
	credentialsFor,
	proveLogin,
	useSandbox,
	type AuthenticationMode,
} from '../../helpers/sandbox';

const sandbox = useSandbox();

function activeTrigger(
	parameters: Record<string, unknown>,
	authentication: AuthenticationMode = 'accessToken',
	credentialOverrides = {},
) {
	return triggerPoller({
		parameters: { authentication, userIds: 'EK1\nEK2', ...parameters },
		credentials: credentialsFor(sandbox(), authentication, credentialOverrides),
	});
}

const balancesRead = () =>
	apiRequests(sandbox()).map(
		({ method, path, query }) => `${method} ${path}?userId=${query.userId}`,
	);

describe.each(AUTHENTICATION_MODES)(
	'Enkash Coins Trigger, Balance Changed, authenticated by %s',
	(authentication) => {
		it('records a baseline on the first poll, then fires once per change with the previous balance', async () => {
			sandbox().setBalances({ EK1: 100, EK2: 40 });
			const credentials = credentialsFor(sandbox(), authentication);
			if (authentication === 'password') await proveLogin(credentials);
			const trigger = triggerPoller({
				parameters: { authentication, userIds: 'EK1\nEK2', event: 'balanceChanged' },
				credentials,
			});

			expect(await trigger.poll()).toEqual({ items: undefined, error: undefined });
			expect(trigger.staticData()).toEqual({ balances: { EK1: 100, EK2: 40 } });

			sandbox().setBalances({ EK2: 90 });
			expect((await trigger.poll()).items).toEqual([
				{ userId: 'EK2', balance: 90, previousBalance: 40, event: 'balanceChanged' },
			]);
			expect((await trigger.poll()).items).toBeUndefined();

			expect(balancesRead()).toEqual(
				Array.from({ length: 3 }, () => [
					'GET /api/v0/coins/balance?userId=EK1',
					'GET /api/v0/coins/balance?userId=EK2',
				]).flat(),
			);
			expect(sandbox().tokenRequestCount()).toBe(authentication === 'password' ? 1 : 0);
		});
	},
);

describe('Enkash Coins Trigger, thresholds', () => {
	it('fires once when a balance falls below the threshold, and again only after it has risen back', async () => {
		sandbox().setBalances({ EK1: 150, EK2: 300 });
		const trigger = activeTrigger({ event: 'balanceBelow', threshold: 100 });
		await trigger.poll();

		const readings: Array<[number, unknown]> = [];
		for (const balance of [80, 20, 100, 60]) {
			sandbox().setBalances({ EK1: balance });
			readings.push([balance, (await trigger.poll()).items]);
		}

		expect(readings).toEqual([
			[80, [{ userId: 'EK1', balance: 80, previousBalance: 150, event: 'balanceBelow' }]],
			[20, undefined],
			[100, undefined],
			[60, [{ userId: 'EK1', balance: 60, previousBalance: 100, event: 'balanceBelow' }]],
		]);
	});

	it('fires once when a balance rises above the threshold', async () => {
		sandbox().setBalances({ EK1: 100, EK2: 0 });
		const trigger = activeTrigger({ event: 'balanceAbove', threshold: 100 });
		await trigger.poll();

		sandbox().setBalances({ EK1: 101, EK2: 50 });
		const crossing = await trigger.poll();
		sandbox().setBalances({ EK1: 500 });
		const staying = await trigger.poll();

		expect(crossing.items).toEqual([
			{ userId: 'EK1', balance: 101, previousBalance: 100, event: 'balanceAbove' },
		]);
		expect(staying.items).toBeUndefined();
	});

	it('with "Fire on First Poll", fires on the first poll for users already past the threshold', async () => {
		sandbox().setBalances({ EK1: 20, EK2: 300 });
		const trigger = activeTrigger({
			event: 'balanceBelow',
			threshold: 100,
			options: { fireOnFirstPoll: true },
		});

		expect((await trigger.poll()).items).toEqual([
			{ userId: 'EK1', balance: 20, previousBalance: null, event: 'balanceBelow' },
		]);
		expect((await trigger.poll()).items).toBeUndefined();
	});
});

describe('Enkash Coins Trigger, the watched list', () => {
	it('takes a user added to the list later as a baseline, and forgets one removed', async () => {
		sandbox().setBalances({ EK1: 10, EK2: 20, EK3: 30 });
		const first = activeTrigger({ event: 'balanceChanged', userIds: 'EK1, EK2' });
		await first.poll();

		const widened = triggerPoller({
			parameters: { authentication: 'accessToken', event: 'balanceChanged', userIds: 'EK2, EK3' },
			credentials: credentialsFor(sandbox(), 'accessToken'),
		});
		Object.assign(widened.staticData(), first.staticData());

		expect((await widened.poll()).items).toBeUndefined();
		expect(widened.staticData()).toEqual({ balances: { EK2: 20, EK3: 30 } });
	});

	it('"Fetch Test Event" shows every watched user and records nothing', async () => {
		sandbox().setBalances({ EK1: 10, EK2: 20 });
		const trigger = activeTrigger({ event: 'balanceBelow', threshold: 15 });

		const test = await trigger.poll('manual');

		expect(test.items).toEqual([
			{ userId: 'EK1', balance: 10, previousBalance: null, event: 'balanceBelow' },
			{ userId: 'EK2', balance: 20, previousBalance: null, event: 'balanceBelow' },
		]);
		expect(trigger.staticData()).toEqual({});
	});
});

describe('Enkash Coins Trigger, errors', () => {
	it.each([
		[{ userIds: ' \n ' }, '"User IDs" is required but is empty'],
		[
			{ userIds: '={{ { id: 1 } }}' },
			'"User IDs" must be a list of user IDs or text, but got an object',
		],
		[
			{ event: 'balanceBelow', threshold: '={{ "lots" }}' },
			'"Threshold" must be a number, got "lots"',
		],
	])('refuses bad input %p before sending anything', async (parameters, message) => {
		const { items, error } = await activeTrigger(parameters).poll();

		expect(items).toBeUndefined();
		expect(error?.message).toBe(message);
		expect(sandbox().requests).toEqual([]);
	});

	it('reports a user whose balance cannot be read, records nothing, and fires once it can', async () => {
		sandbox().setBalances({ EK1: 10, EK2: 20 });
		const trigger = activeTrigger({ event: 'balanceChanged' });
		await trigger.poll();
		sandbox().setBalances({ EK1: 11, EK2: 21 });
		sandbox().setFaults([
			{
				kind: 'envelopeFailure',
				message: 'User not found',
				match: { method: 'GET', path: '/api/v0/coins/balance' },
				times: 1,
			},
		]);

		const failed = await trigger.poll();
		const recordedAfterFailure = JSON.parse(JSON.stringify(trigger.staticData()));
		const next = await trigger.poll();

		expect(failed.items).toBeUndefined();
		expect(failed.error?.message).toBe('Could not read the balance of 1 of 2 watched users');
		expect(failed.error?.description).toMatch(/^EK1: .*User not found/);
		expect(recordedAfterFailure).toEqual({ balances: { EK1: 10, EK2: 20 } });
		expect(next.items).toEqual([
			{ userId: 'EK1', balance: 11, previousBalance: 10, event: 'balanceChanged' },
			{ userId: 'EK2', balance: 21, previousBalance: 20, event: 'balanceChanged' },
		]);
	});

	it('with "Skip Unreadable Users", fires for the others, logs the skipped user and keeps their last reading', async () => {
		sandbox().setBalances({ EK1: 10, EK2: 20 });
		const trigger = activeTrigger({
			event: 'balanceChanged',
			options: { skipUnreadableUsers: true },
		});
		await trigger.poll();
		sandbox().setBalances({ EK1: 11, EK2: 21 });
		sandbox().setFaults([
			{
				kind: 'envelopeFailure',
				message: 'User not found',
				match: { method: 'GET', path: '/api/v0/coins/balance' },
				times: 1,
			},
		]);

		const skipping = await trigger.poll();
		const recordedAfterSkip = JSON.parse(JSON.stringify(trigger.staticData()));
		const next = await trigger.poll();

		expect(skipping).toEqual({
			items: [{ userId: 'EK2', balance: 21, previousBalance: 20, event: 'balanceChanged' }],
			error: undefined,
		});
		expect(trigger.warnings()).toEqual([
			expect.stringMatching(
				/^Could not read the balance of 1 of 2 watched users; skipped them, they keep their last reading .*\nEK1: .*User not found/s,
			),
		]);
		expect(recordedAfterSkip).toEqual({ balances: { EK1: 10, EK2: 21 } });
		expect(next.items).toEqual([
			{ userId: 'EK1', balance: 11, previousBalance: 10, event: 'balanceChanged' },
		]);
	});

	it('never sends a login Enkash has not accepted, not even in Fetch Test Event: its polls fail before sending anything', async () => {
		const trigger = activeTrigger({ event: 'balanceChanged' }, 'password', {
			password: 'wrong-password',
		});

		const polls = [await trigger.poll('manual'), await trigger.poll(), await trigger.poll()];

		expect(polls.map(({ error }) => error?.message)).toEqual(polls.map(() => NOT_ACCEPTED_MESSAGE));
		expect(sandbox().tokenRequestCount()).toBe(0);
		expect(apiRequests(sandbox())).toEqual([]);
	});

	it('a wrong password refused when the credential was saved: no poll after it sends it again', async () => {
		const credentials = credentialsFor(sandbox(), 'password', { password: 'wrong-password' });
		expect((await testCredential(credentials, 'enkashCoinsPasswordApi')).status).toBe('Error');
		const trigger = triggerPoller({
			parameters: { authentication: 'password', userIds: 'EK1\nEK2', event: 'balanceChanged' },
			credentials,
		});

		const polls = [await trigger.poll('manual'), await trigger.poll()];

		expect(polls.map(({ error }) => error?.message)).toEqual(
			polls.map(() =>
				expect.stringMatching(
					/^Enkash refused the token request \(HTTP 400: Bad credentials\) at .* Values Enkash refused are never sent again/,
				),
			),
		);
		expect(sandbox().tokenRequestCount()).toBe(1);
		expect(apiRequests(sandbox())).toEqual([]);
	});
});
