import type { IDataObject } from 'n8n-workflow';

/** Every Enkash response body: `response_code` 0 means success, whatever the HTTP status. */
export interface EnkashEnvelope extends IDataObject {
	response_code: number;
	response_message: string;
	payload: IDataObject[string];
}

export type EnvelopeCheck =
	| { ok: true; envelope: EnkashEnvelope }
	| { ok: false; problem: string; advice: string; apiMessage?: string };

/** An answer that is not Enkash's envelope comes from something else at that address. */
const NOT_ENKASH_ADVICE =
	'The Base URL leads to something other than Enkash’s API, such as a web page or a proxy. Check the credential’s Base URL with Enkash, and turn on Full Response if it is right.';

/** The rejection a new user meets first: an event the company has not configured. */
const REJECTED_ADVICE =
	'Act on Enkash’s reason. "No coin configuration found" means the event does not exist for this Company ID: create it with Event › Create, or check Event Name and Company ID.';

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return body;
	}
}

function preview(body: unknown): string {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const oneLine = (text ?? '').replace(/\s+/g, ' ').trim();
	return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}

/**
 * Checks a response body against the Enkash envelope. The vendor reports some
 * failures as HTTP 200 with `response_code` 1, so a success status alone proves nothing.
 */
export function checkEnvelope(body: unknown): EnvelopeCheck {
	const parsed = parseBody(body);
	if (parsed === undefined || parsed === null || parsed === '') {
		return { ok: false, problem: 'Enkash returned an empty response', advice: NOT_ENKASH_ADVICE };
	}
	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		return {
			ok: false,
			problem: `Enkash returned a response that is not JSON: "${preview(parsed)}"`,
			advice: NOT_ENKASH_ADVICE,
		};
	}
	const candidate = parsed as IDataObject;
	const code =
		typeof candidate.response_code === 'string' && /^-?\d+$/.test(candidate.response_code)
			? Number(candidate.response_code)
			: candidate.response_code;
	if (typeof code !== 'number' || !Number.isInteger(code)) {
		return {
			ok: false,
			problem: `Enkash returned JSON without a valid response_code: "${preview(parsed)}"`,
			advice: NOT_ENKASH_ADVICE,
		};
	}
	const message = typeof candidate.response_message === 'string' ? candidate.response_message : '';
	if (code !== 0) {
		return {
			ok: false,
			problem: `Enkash rejected the request: ${message || `response_code ${code}`}`,
			advice: REJECTED_ADVICE,
			apiMessage: message,
		};
	}
	return {
		ok: true,
		envelope: {
			...candidate,
			response_code: code,
			response_message: message,
			payload: candidate.payload,
		},
	};
}
