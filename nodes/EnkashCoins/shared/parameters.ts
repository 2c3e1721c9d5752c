import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requireText, requireWholeNumber } from './validation';

/** The item's value of a required text field, validated; errors use the field's display name. */
export function readText(context: IExecuteFunctions, itemIndex: number, field: INodeProperties): string {
	return requireText(context.getNodeParameter(field.name, itemIndex), field.displayName);
}

/** The item's value of a whole-number field, validated. */
export function readWholeNumber(context: IExecuteFunctions, itemIndex: number, field: INodeProperties): number {
	return requireWholeNumber(context.getNodeParameter(field.name, itemIndex), field.displayName);
}
