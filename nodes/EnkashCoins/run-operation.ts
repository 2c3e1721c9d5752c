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
import {
	OVER_CAP_ADVICE,
	customDataOf,
	decide,
	dryRunHint,
	emptyLedger,
	overCapMessage,
	recordDryRun,
	settle,
	totalsHint,
	type CampaignLedger,
	type FirstItem,
} from './campaign';

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

const UNKNOWN_FIRST_OUTCOME =
	'An earlier item with this Request ID was sent in this execution, and its outcome is not known: it was not sent again';

/** Whether the node runs as an AI Agent's tool: n8n gives the tool its own node type. */
function isToolCall(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/** The execution's campaign ledger: n8n keeps the node's context for as long as the execution. */
function campaignLedger(context: IExecuteFunctions): CampaignLedger {
	const nodeContext = context.getContext('node');
	nodeContext.enkashCampaign ??= emptyLedger();
	return nodeContext.enkashCampaign as CampaignLedger;
}

/** Where each run's items start in the execution's count, by its input: a retry of a run gets the same. */
const runPositions = new WeakMap<INodeExecutionData[], number>();

/**
 * The position of a run's first item among all the items the node has been
 * given in this execution. n8n's Retry On Fail runs the node again on the same
 * input, which keeps its positions, so that its items are not repeats of themselves.
 */
function positionOfRun(ledger: CampaignLedger, items: INodeExecutionData[]): number {
	let position = runPositions.get(items);
	if (position === undefined) {
		position = ledger.seen;
		ledger.seen += items.length;
		runPositions.set(items, position);
	}
	return position;
}

/** The execution's totals as custom data (the executions list) and in words above the output. */
function publishTotals(context: IExecuteFunctions, ledger: CampaignLedger, message: string) {
	const data = customDataOf(ledger.totals);
	const customData = context.customData as IExecuteFunctions['customData'] | undefined;
	if (customData) customData.setAll(data);
	// n8n 1.x gives a node custom data only through an expression's $execution.
	else context.evaluateExpression(`{{ $execution.customData.setAll(${JSON.stringify(data)}) }}`, 0);
	context.addExecutionHints({ message, location: 'outputPane' });
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
 * (see FlowControl). Output order and pairing follow the input. An operation
 * that credits coins also keeps its execution's campaign ledger (campaign.ts):
 * a dry run sends nothing, a repeated Request ID is sent once, and a cap holds.
 */
export async function runOperation(
	context: IExecuteFunctions,
	operation: EnkashOperation,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const rawOptions = context.getNodeParameter('options', 0, {}) as IDataObject;
	const { fullResponse, includeInputFields, ...sessionOptions } = readOptions(rawOptions);
	const continueOnFail = context.continueOnFail();
	const { credit } = operation;
	const { dryRun, cap } = credit?.safeguards(rawOptions, isToolCall(context)) ?? {
		dryRun: false,
		cap: 0,
	};
	const ledger = credit && campaignLedger(context);
	const firstPosition = ledger ? positionOfRun(ledger, items) : 0;

	const requests: Array<EnkashRequest | Error> = items.map((_, itemIndex) => {
		try {
			return operation.buildRequest(context, itemIndex);
		} catch (error) {
			return inputError(context, error, itemIndex);
		}
	});
	const invalid = requests.find((request): request is Error => request instanceof Error);
	if (invalid && !continueOnFail) throw invalid;

	function outputItem(itemIndex: number, json: IDataObject): INodeExecutionData {
		return {
			json: includeInputFields ? withInputFields(items[itemIndex].json, json) : json,
			pairedItem: { item: itemIndex },
		};
	}
	// n8n sends an item to the error output (On Error: "Continue (using error output)")
	// only when the item carries its error, or its JSON holds nothing but `error`.
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	function errorItem(error: Error, itemIndex: number, extra: IDataObject = {}): INodeExecutionData {
		const item = outputItem(itemIndex, { ...errorJson(error), ...extra });
		if (toErrorOutput) {
			item.error =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(context.getNode(), error, { itemIndex });
		}
		return item;
	}

	if (credit && ledger && dryRun) {
		const found: Parameters<typeof dryRunHint>[0] = [];
		const output = requests.map((request, itemIndex) => {
			if (request instanceof Error) return errorItem(request, itemIndex);
			const position = firstPosition + itemIndex;
			const { userId, event } = credit.userAndEvent(request);
			const finding = recordDryRun(ledger, credit.key(request), position, `${userId}\n${event}`);
			found.push({ userId, event, position, ...finding });
			ledger.totals.dryRun += 1;
			const { duplicateOf } = finding;
			return outputItem(itemIndex, {
				dryRun: true,
				...request.body,
				...(duplicateOf === undefined ? {} : { duplicateOf }),
			});
		});
		publishTotals(context, ledger, dryRunHint(found));
		return output;
	}

	const session = await openSession(
		context,
		context.getNodeParameter('authentication', 0),
		sessionOptions,
	);
	const output: INodeExecutionData[] = new Array(items.length);
	let stopError: Error | undefined;
	/** The allocations of this run still in flight, by Request ID: a repeat waits for its first. */
	const inFlight = new Map<string, Promise<void>>();

	/** A repeat carries its first item's outcome, and says which item that was. */
	function repeatItem(first: FirstItem, itemIndex: number): INodeExecutionData {
		const duplicateOf = first.position;
		if (first.outcome && 'json' in first.outcome)
			return outputItem(itemIndex, { ...first.outcome.json, duplicateOf });
		const { error, description } = first.outcome ?? { error: UNKNOWN_FIRST_OUTCOME };
		const repeated = new NodeOperationError(context.getNode(), error, { itemIndex, description });
		return errorItem(repeated, itemIndex, { duplicateOf });
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
		let first: FirstItem | undefined;
		let settled = () => {};
		if (credit && ledger) {
			const key = credit.key(request);
			const decision = decide(ledger, key, firstPosition + itemIndex, cap);
			if (decision.kind === 'repeat') {
				await inFlight.get(key);
				ledger.totals.repeats += 1;
				output[itemIndex] = repeatItem(decision.first, itemIndex);
				return;
			}
			if (decision.kind === 'sentBefore' && 'json' in decision.first.outcome!) {
				output[itemIndex] = outputItem(itemIndex, decision.first.outcome.json);
				return;
			}
			if (decision.kind === 'overCap') {
				const error = new NodeOperationError(
					context.getNode(),
					`${overCapMessage(cap)} [item ${itemIndex}]`,
					{ itemIndex, description: OVER_CAP_ADVICE },
				);
				ledger.totals.notSentOverCap += 1;
				if (!continueOnFail) stopError ??= error;
				output[itemIndex] = errorItem(error, itemIndex);
				return;
			}
			first = ledger.firsts[key];
			inFlight.set(key, new Promise((resolve) => (settled = resolve)));
		}
		try {
			const envelope = await sendEnkashRequest(context, session, request, itemIndex);
			const json = fullResponse ? envelope : operation.toOutput(envelope.payload, request);
			output[itemIndex] = outputItem(itemIndex, json);
			if (first && ledger) settle(ledger, first, { json });
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
			if (first && ledger) {
				first.outcome = {
					error: error.message,
					description: errorJson(error).description as string,
				};
				ledger.totals.failed += 1;
			}
		} finally {
			settled();
		}
	}

	const order = items.map((_, itemIndex) => itemIndex);
	const firstValid = order.findIndex((itemIndex) => !(requests[itemIndex] instanceof Error));
	if (firstValid > 0) order.unshift(...order.splice(firstValid, 1));
	try {
		await session.flow.run(order, runItem);
	} finally {
		if (ledger) publishTotals(context, ledger, totalsHint(ledger.totals));
	}

	if (stopError && !continueOnFail) throw stopError;
	return output;
}
