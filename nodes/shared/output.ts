import type { IDataObject } from 'n8n-workflow';

/** The API answered with success but with a payload the node cannot use. */
export class PayloadError extends Error {
	readonly advice =
		'Enkash answered in a shape its docs do not describe. Turn on Full Response to see the whole answer, and report it to Enkash.';

	constructor(message: string) {
		super(message);
		this.name = 'PayloadError';
	}
}

/** The payload as the output item, when the API answers with an object as documented. */
export function asPayloadObject(payload: unknown, what: string): IDataObject {
	if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
		return payload as IDataObject;
	}
	throw new PayloadError(
		`Enkash returned no ${what}: expected an object in "payload", got ${JSON.stringify(payload) ?? 'nothing'}`,
	);
}

/** A coin balance; the API sends a bare integer, tolerated as a numeric string too. */
export function asBalance(payload: unknown): number {
	const balance = typeof payload === 'string' && payload.trim() !== '' ? Number(payload) : payload;
	if (typeof balance !== 'number' || !Number.isFinite(balance)) {
		throw new PayloadError(
			`Enkash returned a balance that is not a number: ${JSON.stringify(payload) ?? 'nothing'}`,
		);
	}
	return balance;
}

/**
 * An output item's JSON with the input item's fields next to it (Include Input
 * Fields): the node's own fields win, so that `error` or a result is never
 * hidden by an input field of the same name.
 */
export function withInputFields(input: IDataObject, own: IDataObject): IDataObject {
	return { ...input, ...own };
}
