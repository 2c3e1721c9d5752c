/**
 * Runs the Enkash Coins node through n8n-core's real execution engine
 * (WorkflowExecute), so that n8n's own parameter resolution, expression
 * runtime, httpRequestWithAuthentication, credential `authenticate` and
 * `preAuthentication`, continue-on-fail and retry-on-fail all take part.
 *
 * Only the credential store is ours: n8n keeps credentials in its database,
 * which n8n-core does not include. EngineCredentialsHelper follows the
 * behaviour of n8n's CredentialsHelper (packages/cli) for the parts a node
 * reaches: generic `authenticate` resolved through the workflow's expression
 * engine, and `preAuthentication` filling the expirable field, persisting it
 * and refreshing it when asked to.
 */
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	Workflow,
	createRunExecutionData,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type Workflow as WorkflowType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { EnkashCoinsApi } from '../../credentials/EnkashCoinsApi.credentials';
import { EnkashCoinsPasswordApi } from '../../credentials/EnkashCoinsPasswordApi.credentials';
import { EnkashCoins } from '../../nodes/EnkashCoins/EnkashCoins.node';
import { credentialTypeOf } from '../../nodes/shared/authentication';
import { EnkashCoinsTrigger } from '../../nodes/EnkashCoinsTrigger/EnkashCoinsTrigger.node';

export const NODE_TYPE = 'n8n-nodes-enkash-coins.enkashCoins';
/** The node as n8n offers it to an AI Agent: the same node under the type n8n gives its tool. */
export const TOOL_TYPE = `${NODE_TYPE}Tool`;
export const NODE_NAME = 'Enkash Coins';
export const TRIGGER_TYPE = 'n8n-nodes-enkash-coins.enkashCoinsTrigger';
/** Another node using the password credential, as n8n's HTTP Request node can on n8n 1.x. */
export const OTHER_NODE_TYPE = 'n8n-nodes-base.otherNodeWithEnkashCredential';

class OtherNodeWithEnkashCredential implements INodeType {
	description = {
		displayName: 'Other Node',
		name: 'otherNodeWithEnkashCredential',
		group: [],
		version: 1,
		description: 'Reads a balance with the Enkash password credential, outside the Enkash nodes',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'enkashCoinsPasswordApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials('enkashCoinsPasswordApi');
		const body = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			'enkashCoinsPasswordApi',
			{ method: 'GET', url: `${String(baseUrl)}/api/v0/coins/balance`, qs: { userId: 'EK1' } },
		)) as IDataObject;
		return [[{ json: body }]];
	}
}

const credentialTypes: Record<string, ICredentialType> = {
	enkashCoinsApi: new EnkashCoinsApi(),
	enkashCoinsPasswordApi: new EnkashCoinsPasswordApi(),
};

class PackageNodeTypes implements INodeTypes {
	private readonly nodes: Record<string, INodeType> = {
		[NODE_TYPE]: new EnkashCoins(),
		[TOOL_TYPE]: new EnkashCoins(),
		[TRIGGER_TYPE]: new EnkashCoinsTrigger(),
		[OTHER_NODE_TYPE]: new OtherNodeWithEnkashCredential(),
	};

	getByName(type: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		const node = this.nodes[type];
		if (!node) throw new Error(`Unknown node type ${type}`);
		return node;
	}

	getKnownTypes() {
		return {};
	}
}

/** Credentials as n8n's database would hold them, by credential type. */
export type CredentialStore = Record<string, ICredentialDataDecryptedObject>;

export class EngineCredentialsHelper extends ICredentialsHelper {
	/** How many times n8n asked for the decrypted credential (one database read each in n8n). */
	decryptions = 0;

	constructor(readonly store: CredentialStore) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = credentialTypes[typeName];
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node)
			throw new Error('Workflow and node are required for generic authentication');
		const target = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [outerKey, pairs] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(pairs as IDataObject)) {
				const resolved = isExpression(value)
					? workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {
							$credentials: credentials,
						})
					: value;
				target[outerKey] = { ...(target[outerKey] ?? {}), [key]: resolved ? String(resolved) : '' };
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = credentialTypes[typeName];
		const expirable = credentialType.properties.find(
			(property: INodeProperties) =>
				property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;
		// As n8n's CredentialsHelper: its credential test always asks for new data.
		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials)
			return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.store[typeName] = { ...this.store[typeName], ...output } as ICredentialDataDecryptedObject;
		return Object.assign(credentials, output) as ICredentialDataDecryptedObject;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	) {
		const { preAuthentication } = credentialTypes[typeName];
		if (typeof preAuthentication !== 'function') return undefined;
		return (await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('Not used by the node');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		this.decryptions++;
		const data = this.store[type];
		if (!data) throw new Error(`No credential of type ${type} in the test store`);
		return { ...data };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type].properties;
	}
}

export interface NodeSettings {
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	credentials: CredentialStore;
	/** Input items' JSON; one empty item when omitted. */
	items?: Array<Record<string, unknown>>;
	/** Instead of `items`: several runs of the node in one execution, as Loop Over Items makes them, one batch each. */
	batches?: Array<Array<Record<string, unknown>>>;
	settings?: NodeSettings;
	credentialsHelper?: EngineCredentialsHelper;
	/** How the execution was started: 'manual' (the default) from the editor, 'webhook' or 'trigger' unattended. */
	mode?: WorkflowExecuteMode;
	/** The node's type: the Enkash Coins node unless given. */
	nodeType?: string;
}

export interface NodeRunResult {
	/** The node's output items (of its last run), or undefined when the node failed. */
	items: INodeExecutionData[] | undefined;
	/** The output items of each of the node's runs. */
	runs: Array<INodeExecutionData[] | undefined>;
	/** The error that stopped the node, as n8n recorded it. */
	error: (Error & { description?: string | null; context?: IDataObject }) | undefined;
	run: IRun;
	credentialsHelper: EngineCredentialsHelper;
}

function credentialReferences(parameters: INodeParameters) {
	const type = credentialTypeOf(parameters.authentication);
	return { [type]: { id: `${type}-1`, name: `${type} test credential` } };
}

function engineAdditionalData(
	credentialsHelper: EngineCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	return {
		executionId: 'engine-test-execution',
		credentialsHelper,
		hooks,
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		userId: 'engine-test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** Executes the node once, through WorkflowExecute, with the given items as its input. */
export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const credentialsHelper =
		options.credentialsHelper ?? new EngineCredentialsHelper(options.credentials);
	const node: INode = {
		id: 'enkash-coins-node',
		name: NODE_NAME,
		type: options.nodeType ?? NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: credentialReferences(options.parameters),
		...options.settings,
	};
	const workflow = new Workflow({
		id: 'engine-test',
		nodes: [node],
		connections: {},
		nodeTypes: new PackageNodeTypes(),
		active: false,
		settings: { executionOrder: 'v1' },
	});

	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'engine-test-execution', {
		id: 'engine-test',
		name: 'engine test',
		nodes: [node],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const additionalData = engineAdditionalData(credentialsHelper, hooks);

	const batches = options.batches ?? [options.items ?? [{}]];
	const nodeExecutionStack = batches.map((batch) => ({
		node,
		data: { main: [batch.map((json) => ({ json: json as IDataObject }))] },
		source: null,
	}));
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack } });

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const run = await workflowExecute.processRunExecutionData(workflow);

	const taskData = run.data.resultData.runData[NODE_NAME]?.at(-1);
	return {
		items: taskData?.data?.main?.[0] ?? undefined,
		runs: (run.data.resultData.runData[NODE_NAME] ?? []).map(
			(task) => task.data?.main?.[0] ?? undefined,
		),
		error: (taskData?.error ?? run.data.resultData.error) as NodeRunResult['error'],
		run,
		credentialsHelper,
	};
}

/** What n8n's credential Test answers: the dialog shows the message. */
export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * The credential's test, as n8n's CredentialsTester runs it on Save, when the
 * dialog opens and on Retry: the credential's test request through n8n-core's
 * RoutingNode, in n8n's temporary No Operation node that references the
 * stored credential, with the data the editor sends (the stored values, with
 * the person's changes), and the test's rules.
 */
export async function testCredential(
	store: CredentialStore,
	type: string,
	changes: ICredentialDataDecryptedObject = {},
): Promise<CredentialTestResult> {
	const { test } = credentialTypes[type];
	if (!test || !('request' in test)) throw new Error(`${type} has no test request`);
	const credentialsHelper = new EngineCredentialsHelper(store);
	const credentialsDecrypted = {
		id: `${type}-1`,
		name: `${type} test credential`,
		type,
		data: { ...store[type], ...changes },
	};
	const testNodeType: INodeType = {
		description: {
			displayName: 'Temp',
			name: 'credentialTest',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			credentials: [{ name: type, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [type]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const nodeTypes = {
		getByName: () => testNodeType,
		getByNameAndVersion: () => testNodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		engineAdditionalData(credentialsHelper),
		'internal',
		createRunExecutionData({}),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	let response;
	try {
		response = await new RoutingNode(context, testNodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const { cause, message } = error as {
			cause?: { response?: { status: number } };
			message: string;
		};
		if (cause?.response) {
			return { status: 'Error', message: `Received HTTP status code: ${cause.response.status}` };
		}
		return { status: 'Error', message };
	}
	const body = response?.[0]?.[0]?.json ?? {};
	for (const rule of test.rules ?? []) {
		if (
			rule.type === 'responseSuccessBody' &&
			body[rule.properties.key] === rule.properties.value
		) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

export interface PollResult {
	/** The items the poll emitted: undefined when it emitted nothing. */
	items: IDataObject[] | undefined;
	/** The error the poll failed with. */
	error: (Error & { description?: string | null }) | undefined;
}

/**
 * An active Enkash Coins Trigger: each `poll()` runs its poll through n8n-core's
 * PollContext, as n8n does on each tick, with the workflow's static data kept
 * between polls. `poll('manual')` is the editor's "Fetch Test Event".
 */
export function triggerPoller(options: {
	parameters: INodeParameters;
	credentials: CredentialStore;
}) {
	const credentialsHelper = new EngineCredentialsHelper(options.credentials);
	const node: INode = {
		id: 'enkash-coins-trigger',
		name: 'Enkash Coins Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: credentialReferences(options.parameters),
	};
	const nodeTypes = new PackageNodeTypes();
	const workflow = new Workflow({
		id: 'engine-test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = engineAdditionalData(credentialsHelper);
	const trigger = nodeTypes.getByNameAndVersion(TRIGGER_TYPE);
	const warnings: string[] = [];
	return {
		credentialsHelper,
		/** What the trigger keeps between polls. */
		staticData: () => workflow.getStaticData('node', node),
		/** What the polls wrote to n8n's log as warnings. */
		warnings: () => warnings,
		async poll(mode: 'trigger' | 'manual' = 'trigger'): Promise<PollResult> {
			const context = new PollContext(workflow, node, additionalData, mode, 'activate');
			const warn = jest
				.spyOn(context.logger, 'warn')
				.mockImplementation((message: string) => void warnings.push(message));
			try {
				const output = await trigger.poll!.call(context);
				return { items: output?.[0]?.map(({ json }) => json), error: undefined };
			} catch (error) {
				return { items: undefined, error: error as PollResult['error'] };
			} finally {
				warn.mockRestore();
			}
		},
	};
}
