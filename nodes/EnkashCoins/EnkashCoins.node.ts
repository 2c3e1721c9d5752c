import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { findOperation, operationProperties, optionsProperty, resourceProperty } from './resources';
import {
	accessTokenNotice,
	authenticationProperty,
	credentialsByAuthentication,
} from '../shared/authentication';
import { optionsCollection } from '../shared/input/options';
import { runOperation } from './run-operation';

export class EnkashCoins implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Enkash Coins',
		name: 'enkashCoins',
		icon: { light: 'file:../icons/enkashCoins.svg', dark: 'file:../icons/enkashCoins.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Run an Enkash Coins loyalty programme: configure coin events, allocate coins, read balances',
		defaults: {
			name: 'Enkash Coins',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		properties: [
			authenticationProperty,
			accessTokenNotice,
			resourceProperty,
			...operationProperties(),
			optionsProperty(optionsCollection),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const selected = findOperation(resource, operation);
		if (!selected) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not supported for resource "${resource}"`,
			);
		}
		return [await runOperation(this, selected)];
	}
}
