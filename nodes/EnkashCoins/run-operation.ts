import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { enkashApiError } from '../shared/transport/errors';
import { sendEnkashRequest } from '../shared/transport/send';
import { loginStopsRun, openSession } from '../shared/transport/session';
import type { EnkashOperation, EnkashRequest } from '../shared/types';
import { readOptions } from '../shared/input/options';
import { FieldError } from '../shared/input/validation';
import { PayloadError, withInputFields } from '../shared/output';

function inputError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof FieldError) {
		return new NodeOperationError(context.getNode(), `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: error.hintFor(context.continueOnFail()),
		});
	}
	return error instanceof Error
		? error
		: new NodeOperationError(context.getNode(), String(error), { itemIndex });
}

function errorJson(error: Error): IDataObject {
	const json: IDataObject = { error: error.message };
	const description = (error as NodeApiError).description;
	if (description) json.description = description;
	return json;
}

/**
 * Runs one operation for every input item: validates all items before sending
 * anything, resolves authentication with the first request alone, then sends
 * the rest as fast as Enkash takes, up to Max Concurrent Requests in flight
 * (see FlowControl). Output order and pairing follow the input.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operation: EnkashOperation,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const { fullResponse, includeInputFields, ...sessionOptions } = readOptions(
		context.getNodeParameter('options', 0, {}) as IDataObject,
	);
	const continueOnFail = context.continueOnFail();

	const requests: Array<EnkashRequest | Error> = items.map((_, itemIndex) => {
		try {
			return operation.buildRequest(context, itemIndex);
		} catch (error) {
			return inputError(context, error, itemIndex);
		}
	});
	const invalid = requests.find((request): request is Error => request instanceof Error);
	if (invalid && !continueOnFail) throw invalid;

	const session = await openSession(
		context,
		context.getNodeParameter('authentication', 0),
		sessionOptions,
	);
	const output: INodeExecutionData[] = new Array(items.length);
	let stopError: Error | undefined;

	function outputItem(itemIndex: number, json: IDataObject): INodeExecutionData {
		return {
			json: includeInputFields ? withInputFields(items[itemIndex].json, json) : json,
			pairedItem: { item: itemIndex },
		};
	}
	// n8n sends an item to the error output (On Error: "Continue (using error output)")
	// only when the item carries its error, or its JSON holds nothing but `error`.
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	function errorItem(error: Error, itemIndex: number): INodeExecutionData {
		const item = outputItem(itemIndex, errorJson(error));
		if (toErrorOutput) {
			item.error =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(context.getNode(), error, { itemIndex });
		}
		return item;
	}

	async function runItem(itemIndex: number): Promise<void> {
		const request = requests[itemIndex];
		if (request instanceof Error) {
			output[itemIndex] = errorItem(request, itemIndex);
			return;
		}
		if (stopError) {
			output[itemIndex] = errorItem(stopError, itemIndex);
			return;
		}
		try {
			const envelope = await sendEnkashRequest(context, session, request, itemIndex);
			const json = fullResponse ? envelope : operation.toOutput(envelope.payload, request);
			output[itemIndex] = outputItem(itemIndex, json);
		} catch (caught) {
			const error =
				caught instanceof PayloadError
					? enkashApiError(context, session, itemIndex, {
							message: caught.message,
							description: caught.advice,
						})
					: (caught as Error);
			if (!continueOnFail || loginStopsRun(session)) stopError ??= error;
			output[itemIndex] = errorItem(error, itemIndex);
		}
	}

	const order = items.map((_, itemIndex) => itemIndex);
	const firstValid = order.findIndex((itemIndex) => !(requests[itemIndex] instanceof Error));
	if (firstValid > 0) order.unshift(...order.splice(firstValid, 1));
	await session.flow.run(order, runItem);

	if (stopError && !continueOnFail) throw stopError;
	return output;
}
