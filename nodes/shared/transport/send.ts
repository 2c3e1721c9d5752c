import { sleep, type IHttpRequestOptions } from 'n8n-workflow';

import { SESSION_TOKEN_FIELD } from '../../../credentials/common/login-state';

import type { EnkashRequest } from '../types';
import { checkEnvelope, type EnkashEnvelope } from './envelope';
import { enkashApiError, failureSummary, redirectSummary } from './errors';
import { describeResponse, describeThrown, isTransient, type EnkashHttpResponse } from './failures';
import { MAX_RETRIES, retryDelayMs } from './retry';
import type { EnkashContext, EnkashSession } from './session';

/**
 * Sends one request with the node's credential, retrying transient failures
 * (network errors, timeouts, 429, 502, 503, 504) with backoff and Retry-After.
 * The request is resent unchanged, so an allocation keeps its requestId.
 *
 * HTTP errors come back as answers (`ignoreHttpStatusErrors`) rather than as
 * n8n's wrapped error, so that their status, headers and body read the same on
 * every n8n version. That also means n8n does not renew a token on 401 by
 * itself: with the password credential, PasswordLogin renews it before each
 * send that needs it, and after a 401.
 */
export async function sendEnkashRequest(
	context: EnkashContext,
	session: EnkashSession,
	request: EnkashRequest,
	itemIndex: number,
): Promise<EnkashEnvelope> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${session.baseUrl}${request.path}`,
		qs: request.qs,
		body: request.body,
		json: true,
		timeout: session.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Enkash's API does not redirect; following one would resend an allocation elsewhere.
		disableFollowRedirect: true,
	};
	const credentialData = session.credentials.data;
	const { passwordLogin } = session;
	let tokenRenewed = false;
	for (let retry = 0; ; ) {
		if (passwordLogin) {
			await passwordLogin.beforeSend();
			const problem = passwordLogin.problem();
			if (problem) throw enkashApiError(context, session, itemIndex, problem);
		}
		const tokenSent = credentialData[SESSION_TOKEN_FIELD];
		let response: EnkashHttpResponse;
		const turn = session.flow.delayBeforeSend();
		if (turn > 0) await sleep(turn);
		try {
			response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				session.credentialType,
				{ ...options },
				{ credentialsDecrypted: session.credentials },
			)) as EnkashHttpResponse;
		} catch (error) {
			const problem = passwordLogin?.problem();
			if (problem) throw enkashApiError(context, session, itemIndex, problem);
			const failure = describeThrown(error);
			if (isTransient(failure) && retry < MAX_RETRIES) {
				await sleep(retryDelayMs(++retry));
				continue;
			}
			throw enkashApiError(context, session, itemIndex, failureSummary(failure, request, session));
		}
		session.flow.record(response.statusCode === 429);
		if (response.statusCode === 401 && passwordLogin && !tokenRenewed) {
			tokenRenewed = true;
			await passwordLogin.afterUnauthorized(tokenSent);
			continue;
		}
		if (response.statusCode >= 300 && response.statusCode < 400) {
			throw enkashApiError(context, session, itemIndex, redirectSummary(response, request));
		}
		if (response.statusCode >= 400) {
			const failure = describeResponse(response);
			if (isTransient(failure) && retry < MAX_RETRIES) {
				await sleep(retryDelayMs(++retry, failure.retryAfterMs));
				continue;
			}
			throw enkashApiError(context, session, itemIndex, {
				...failureSummary(failure, request, session),
				httpCode: failure.status,
			});
		}
		const check = checkEnvelope(response.body);
		if (!check.ok) {
			throw enkashApiError(context, session, itemIndex, {
				message: `${check.problem} (${request.method} ${request.path})`,
				description: check.advice,
			});
		}
		return check.envelope;
	}
}
