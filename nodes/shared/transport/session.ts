import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../../../credentials/common/credential-parts';
import { loginMemory } from '../../../credentials/common/login-memory';

import { CREDENTIAL_TYPES, credentialTypeOf } from '../authentication';
import { FlowControl } from '../flow-control';
import { PasswordLogin, type StoredCredential } from './password-login';

/** Where the transport runs: the action node's execution or the trigger's poll. */
export type EnkashContext = IExecuteFunctions | IPollFunctions;

/** What one execution (a run of the action node, or one poll of the trigger) sends its requests with. */
export interface EnkashSession {
	credentialType: string;
	credentials: ICredentialsDecrypted & { data: ICredentialDataDecryptedObject };
	baseUrl: string;
	timeoutMs: number;
	/** With the password credential, which fetches its own tokens: its login's state. */
	passwordLogin?: PasswordLogin;
	/** Asked before every send and told of every answer, so that the run sends as much as Enkash takes. */
	flow: FlowControl;
}

/**
 * Reads the credential once per execution: every request shares it, so a token
 * the password credential obtains is stored on this object and reused by all.
 */
export async function openSession(
	context: EnkashContext,
	authentication: unknown,
	{ timeoutMs, maxConcurrency }: { timeoutMs: number; maxConcurrency: number },
): Promise<EnkashSession> {
	const credentialType = credentialTypeOf(authentication);
	const data = await context.getCredentials(credentialType);
	const baseUrl = normalizeBaseUrl(data.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(baseUrl)) {
		throw new NodeOperationError(
			context.getNode(),
			`The credential's Base URL "${String(data.baseUrl ?? '').trim()}" is not a valid http(s) URL`,
			{ description: 'Set it to the Enkash API host, for example https://pay-uat.enkash.in' },
		);
	}
	const credentials = {
		id: context.getNode().credentials?.[credentialType]?.id ?? '',
		name: credentialType,
		type: credentialType,
		data,
	};
	const storedCredential: StoredCredential = {
		read: async () => await context.getCredentials(credentialType),
		async deliver(carrier) {
			try {
				await context.helpers.httpRequestWithAuthentication.call(
					context,
					credentialType,
					{ method: 'GET', url: baseUrl },
					{ credentialsDecrypted: { ...credentials, data: carrier } },
				);
			} catch (error) {
				if (!loginMemory.wasDelivered(carrier))
					throw new NodeOperationError(context.getNode(), error as Error);
			}
		},
	};
	return {
		credentialType,
		credentials,
		baseUrl,
		timeoutMs,
		passwordLogin:
			credentialType === CREDENTIAL_TYPES.password
				? new PasswordLogin(data, credentials.id, storedCredential)
				: undefined,
		flow: new FlowControl(maxConcurrency),
	};
}

/** Whether the credential's login stops every request of the run (see PasswordLogin.problem). */
export function loginStopsRun(session: EnkashSession): boolean {
	return session.passwordLogin?.problem() !== undefined;
}
