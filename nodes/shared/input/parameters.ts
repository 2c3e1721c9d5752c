import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireText, requireWholeNumber } from './validation';

/**
 * `={{ $json.userId }}` or `={{ $json.body["referral id"] }}`: a plain read of
 * the item's JSON, the most common expression in bulk workflows. n8n 2.x runs
 * every expression in an isolated runtime at about half a millisecond each, so
 * such a read is done here directly, giving the same value.
 */
const PLAIN_JSON_READ =
	/^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\]*'|"[^"\\]*")\s*\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)")\s*\]/g;

/** The property path of a plain `$json` read, or undefined for any other value. */
export function plainJsonPath(rawValue: unknown): string[] | undefined {
	if (typeof rawValue !== 'string') return undefined;
	const match = PLAIN_JSON_READ.exec(rawValue);
	if (!match) return undefined;
	return Array.from(
		match[1].matchAll(PATH_SEGMENT),
		(segment) => segment[1] ?? segment[2] ?? segment[3],
	);
}

/** The value at `path` in `json`; undefined where the path leads nowhere. */
export function valueAtPath(json: unknown, path: readonly string[]): unknown {
	let value = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

type ItemReader = (itemIndex: number) => unknown;

const readersByExecution = new WeakMap<IExecuteFunctions, Map<string, ItemReader>>();

/**
 * How this execution reads a parameter for each item, decided once from its raw
 * value: a fixed value is read once, a plain `$json` read is done directly, and
 * any other expression is left to n8n.
 */
function readerFor(context: IExecuteFunctions, name: string): ItemReader {
	let readers = readersByExecution.get(context);
	if (!readers) {
		readers = new Map();
		readersByExecution.set(context, readers);
	}
	let reader = readers.get(name);
	if (!reader) {
		const rawValue = context.getNodeParameter(name, 0, undefined, { rawExpressions: true });
		const path = plainJsonPath(rawValue);
		if (path) {
			const items = context.getInputData();
			reader = (itemIndex) => valueAtPath(items[itemIndex]?.json, path);
		} else if (typeof rawValue === 'string' && rawValue.startsWith('=')) {
			reader = (itemIndex) => context.getNodeParameter(name, itemIndex);
		} else {
			const fixed = context.getNodeParameter(name, 0);
			reader = () => fixed;
		}
		readers.set(name, reader);
	}
	return reader;
}

/** The item's value of a required text field, validated; errors use the field's display name. */
export function readText(
	context: IExecuteFunctions,
	itemIndex: number,
	field: INodeProperties,
): string {
	return requireText(readerFor(context, field.name)(itemIndex), field.displayName);
}

/** The item's value of a whole-number field, validated. */
export function readWholeNumber(
	context: IExecuteFunctions,
	itemIndex: number,
	field: INodeProperties,
): number {
	return requireWholeNumber(readerFor(context, field.name)(itemIndex), field.displayName);
}
