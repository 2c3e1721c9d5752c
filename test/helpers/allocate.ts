import { ALLOCATE_FROM_INPUT, COMPANY_ID, EVENT_AMOUNT, EVENT_NAME } from './fixtures';
import { runNode, testCredential, type NodeSettings } from './n8n-engine';
import { credentialsFor, useSandbox, type AuthenticationMode } from './sandbox';

export interface AllocateOptions {
	authentication?: AuthenticationMode;
	parameters?: Record<string, unknown>;
	settings?: NodeSettings;
	credentialOverrides?: Record<string, string>;
}

/**
 * The sandbox for a test file, with the referral event configured before each
 * test, and `allocate`: one run of Allocation › Allocate over the given items,
 * taking each user and request id from the item. A password credential is
 * saved first, as in n8n's editor, which tests it (one token request).
 */
export function useAllocationSandbox() {
	const sandbox = useSandbox();

	beforeEach(() => {
		sandbox().createEvent({ companyId: COMPANY_ID, event: EVENT_NAME, amount: EVENT_AMOUNT });
	});

	async function allocate(
		items: Array<Record<string, unknown>>,
		{
			authentication = 'accessToken',
			parameters = {},
			settings,
			credentialOverrides,
		}: AllocateOptions = {},
	) {
		const credentials = credentialsFor(sandbox(), authentication, credentialOverrides);
		if (authentication === 'password') await testCredential(credentials, 'enkashCoinsPasswordApi');
		return await runNode({
			parameters: { authentication, ...ALLOCATE_FROM_INPUT, ...parameters } as never,
			credentials,
			items,
			settings,
		});
	}

	return { sandbox, allocate };
}
