/** The advice an HTTP 401 carries, which depends on the credential the node used. */
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
