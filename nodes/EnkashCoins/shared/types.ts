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
 * An operation of the node: its fields, how an item becomes a request, and
 * what the user sees when the call succeeds (unless they ask for the full response).
 */
export interface EnkashOperation {
	/** Fields shown for this operation; the resource folder adds the `displayOptions`. */
	fields: INodeProperties[];
	/** Reads and validates the item's parameters. Throws FieldError for bad input. */
	buildRequest(context: IExecuteFunctions, itemIndex: number): EnkashRequest;
	/** The output item built from the successful response's payload. */
	toOutput(payload: unknown, request: EnkashRequest): IDataObject;
}

export interface EnkashResource {
	name: string;
	operationOptions: INodeProperties;
	operations: Record<string, EnkashOperation>;
}
