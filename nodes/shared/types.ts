import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeProperties,
} from 'n8n-workflow';

/** One call to the Enkash API, built from one input item. */
export interface EnkashRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, starting with a slash. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
}

/**
 * An operation of the node: its entry in the Operation menu, its fields, how an
 * item becomes a request, and what the user sees when the call succeeds
 * (unless they ask for the full response).
 */
export interface EnkashOperation {
	/** The value workflows save: part of the node's contract, never renamed. */
	value: string;
	/** Menu text: the operation's name, what it does, and the action shown in the nodes panel and to AI agents. */
	name: string;
	description: string;
	action: string;
	/** What the user must know before using the operation, shown as a notice above its fields. */
	notice?: string;
	/** Fields shown for this operation; the resource adds the `displayOptions`. */
	fields: INodeProperties[];
	/** Reads and validates the item's parameters. Throws FieldError for bad input. */
	buildRequest(context: IExecuteFunctions, itemIndex: number): EnkashRequest;
	/** The output item built from the successful response's payload. */
	toOutput(payload: unknown, request: EnkashRequest): IDataObject;
	/** Options only this operation has, added to the node's Options while it is selected. */
	options?: INodeProperties[];
	/**
	 * For an operation that credits coins: what identifies one credit (sent once
	 * per execution), and the user and event it credits (for a dry run's summary).
	 */
	credit?: {
		key(request: EnkashRequest): string;
		userAndEvent(request: EnkashRequest): { userId: string; event: string };
		/** Dry Run and the cap of allocations per execution (0: none), from the node's options. */
		safeguards(options: IDataObject, asTool: boolean): { dryRun: boolean; cap: number };
	};
}

/** A resource of the node: its entry in the Resource menu and its operations. */
export interface EnkashResource {
	/** The value workflows save: part of the node's contract, never renamed. */
	value: string;
	name: string;
	description: string;
	/** In menu order. */
	operations: EnkashOperation[];
	/** Selected when the resource is chosen; one of `operations`. */
	defaultOperation: EnkashOperation;
}
