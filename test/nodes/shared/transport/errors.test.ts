/** The advice each failure carries: a 401 depends on the credential the node used. */
import { useAllocationSandbox } from '../../../helpers/allocate';
import { REFERRAL_ITEM } from '../../../helpers/fixtures';
import { apiRequests } from '../../../helpers/sandbox';

const { sandbox, allocate } = useAllocationSandbox();

const ALLOCATE_PATH = '/api/v0/enkash-coins/allocate-coin';

/** Enkash refuses every token for allocations. */
function refuseTokens() {
	sandbox().setFaults([
		{ kind: 'status', status: 401, message: 'Access is denied', match: { path: ALLOCATE_PATH } },
	]);
}

describe('a refused token (HTTP 401)', () => {
	it('with an access token: says to generate a new one or use the password credential', async () => {
		refuseTokens();

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(error?.message).toBe(
			`Enkash answered HTTP 401: Access is denied (POST ${ALLOCATE_PATH})`,
		);
		expect(error?.description).toBe(
			'The access token was refused: it may have expired. Generate a new one, or use the Enkash Coins Password API credential, which renews tokens automatically.',
		);
	});

	it('with the password credential: says the issued token was refused, never to switch credentials', async () => {
		refuseTokens();

		const { error } = await allocate([REFERRAL_ITEM], { authentication: 'password' });

		expect(error?.message).toBe(
			`Enkash answered HTTP 401: Access is denied (POST ${ALLOCATE_PATH})`,
		);
		expect(error?.description).toBe(
			'Enkash issued this credential a token but refused it for this call, also when the node tried once more, so the login itself works. Check with Enkash that the API user may use the Coins API, then try again.',
		);
		expect(error?.description).not.toMatch(/Password API credential/);
		expect(apiRequests(sandbox()).map(({ path }) => path)).toEqual([ALLOCATE_PATH, ALLOCATE_PATH]);
	});
});

describe('every failure says what to do', () => {
	it.each([
		[400, 1, /^Enkash found the request malformed\. Check the field its message names/],
		[422, 1, /^Enkash could not accept these values\./],
		[
			500,
			1,
			/^Enkash failed while handling the request\. It is not retried, because Enkash may have acted on it/,
		],
		[503, 4, /^Enkash was unavailable, also after 3 retries\. Run the workflow again later\.$/],
		[418, 1, /^Enkash did not accept the request\. Turn on Full Response/],
	])('HTTP %i, sent %i time(s)', async (status, sent, advice) => {
		sandbox().setFaults([
			{ kind: 'status', status, message: 'Refused', match: { path: ALLOCATE_PATH } },
		]);

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(error?.message).toBe(`Enkash answered HTTP ${status}: Refused (POST ${ALLOCATE_PATH})`);
		expect(error?.description).toMatch(advice);
		expect(apiRequests(sandbox())).toHaveLength(sent);
	});

	it.each([
		[
			'an event the company has not configured',
			{ kind: 'envelopeFailure', message: 'No coin configuration found for event REFERRAL_EVENT' },
			/create it with Event › Create/,
		],
		[
			'an empty answer',
			{ kind: 'empty' },
			/^The Base URL leads to something other than Enkash’s API/,
		],
		[
			'an answer that is not JSON',
			{ kind: 'html', status: 200 },
			/^The Base URL leads to something other than Enkash’s API/,
		],
	])('%s', async (_, fault, advice) => {
		sandbox().setFaults([{ ...fault, match: { path: ALLOCATE_PATH } } as never]);

		const { error } = await allocate([REFERRAL_ITEM]);

		expect(error?.description).toMatch(advice);
	});
});
