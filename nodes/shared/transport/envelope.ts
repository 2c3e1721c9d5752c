import type { IDataObject } from 'n8n-workflow';

/** Every Enkash response body: `response_code` 0 means success, whatever the HTTP status. */
export interface EnkashEnvelope extends IDataObject {
	response_code: number;
	response_message: string;
	payload: IDataObject[string];
}

export type EnvelopeCheck =
	| { ok: true; envelope: EnkashEnvelope }
	| { ok: false; problem: string; apiMessage?: string };

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
		return { ok: false, problem: 'Enkash returned an empty response' };
	}
	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		return {
			ok: false,
			problem: `Enkash returned a response that is not JSON: "${preview(parsed)}"`,
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
		};
	}
	const message = typeof candidate.response_message === 'string' ? candidate.response_message : '';
	if (code !== 0) {
		return {
			ok: false,
			problem: `Enkash rejected the request: ${message || `response_code ${code}`}`,
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
