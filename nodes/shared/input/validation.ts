/**
 * Pure checks of user input. They throw a {@link FieldError} that names the
 * field; the item loop turns it into an n8n error that also names the item.
 */

/** Ids longer than this are certainly a mistake (a whole row pasted into a field). */
export const MAX_ID_LENGTH = 1024;

export class FieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		/** The one thing to do about it, shown as the error's description. */
		readonly hint: string,
		/** What the hint adds while the node's On Error setting stops the run. */
		private readonly whenStopping = '',
	) {
		super(message);
		this.name = 'FieldError';
	}

	/** The hint for a node whose On Error setting continues (`continuing`) or stops. */
	hintFor(continuing: boolean): string {
		return continuing ? this.hint : `${this.hint}${this.whenStopping}`;
	}
}

/** How a value's type reads in an error message: "a list", "an object", "nothing", ... */
export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (value === undefined) return 'nothing';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
}

/**
 * A required id or name: text, or a finite number (ids often arrive as numbers
 * from spreadsheets), trimmed, not blank.
 */
export function requireText(value: unknown, field: string): string {
	let text: string;
	if (typeof value === 'string') {
		text = value.trim();
	} else if (typeof value === 'number' && Number.isFinite(value)) {
		text = String(value);
	} else if (value === undefined || value === null) {
		text = '';
	} else {
		throw new FieldError(
			field,
			`"${field}" must be text, but the expression gave ${describeType(value)}`,
			'Map a single text value into this field, for example {{ $json.userId }}.',
		);
	}
	if (text === '') {
		throw new FieldError(
			field,
			`"${field}" is required but is empty`,
			`If some input items have no "${field}", filter them out with a Filter node before this one.`,
			` Or set this node's Settings › On Error to "Continue" (or "Continue (using error output)") so that the other items go on.`,
		);
	}
	if (text.length > MAX_ID_LENGTH) {
		throw new FieldError(
			field,
			`"${field}" is too long (${text.length} characters, at most ${MAX_ID_LENGTH})`,
			'Map the single ID into this field, for example {{ $json.userId }}, not a whole item or text.',
		);
	}
	return text;
}

/** A coin amount: a whole number of 0 or more, given as a number or as digits. */
export function requireWholeNumber(value: unknown, field: string): number {
	const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
		const shown =
			typeof value === 'string'
				? JSON.stringify(value)
				: typeof value === 'number'
					? String(value)
					: describeType(value);
		throw new FieldError(
			field,
			`"${field}" must be a whole number of 0 or more, got ${shown}`,
			'Give a whole number of coins such as 10, without decimals, sign or unit.',
		);
	}
	return number;
}
