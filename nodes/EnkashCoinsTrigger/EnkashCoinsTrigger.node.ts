import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	accessTokenNotice,
	authenticationProperty,
	credentialsByAuthentication,
} from '../shared/authentication';
import type { BalanceReading } from '../shared/balance';
import { FieldError } from '../shared/input/validation';
import { readBalances } from './read-balances';
import {
	THRESHOLD_DISPLAY_NAME,
	USER_IDS_DISPLAY_NAME,
	WATCH_EVENTS,
	isEvent,
	parseUserIds,
	requireThreshold,
	type BalanceEvent,
	type Watch,
	type WatchEvent,
} from './watch';

const DEFAULT_EVENT: WatchEvent = 'balanceChanged';
const THRESHOLD_EVENTS: WatchEvent[] = ['balanceBelow', 'balanceAbove'];
const EVENT_NAMES = Object.fromEntries(
	Object.entries(WATCH_EVENTS).map(([value, { name }]) => [value, name]),
);

/** What the trigger keeps between polls, in the workflow's static data. */
interface PollState {
	/** The last balance read of each watched user. */
	balances?: Record<string, number>;
}

export class EnkashCoinsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Enkash Coins Trigger',
		name: 'enkashCoinsTrigger',
		icon: {
			light: 'file:../icons/enkashCoins.svg',
			dark: 'file:../icons/enkashCoins.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		// On the canvas: the event's menu name, and the threshold it crosses ("Balance Fell Below 100").
		subtitle: `={{ ${JSON.stringify(EVENT_NAMES)}[$parameter["event"]] + (${JSON.stringify(THRESHOLD_EVENTS)}.includes($parameter["event"]) ? " " + $parameter["threshold"] : "") }}`,
		// n8n's node picker shows the Trigger's description on the one entry it makes
		// for a node and its trigger: it describes the package.
		description:
			'Credit Enkash loyalty coins, read balances and configure coin events, or start a workflow when a balance changes or crosses a threshold',
		defaults: {
			name: 'Enkash Coins Trigger',
		},
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: credentialsByAuthentication,
		properties: [
			authenticationProperty,
			accessTokenNotice,
			{
				displayName: USER_IDS_DISPLAY_NAME,
				name: 'userIds',
				type: 'string',
				typeOptions: { rows: 4 },
				required: true,
				default: '',
				placeholder: 'EKQZVMQK\nEK7TBX2A',
				description:
					'The Enkash IDs of the users to watch: one per line or separated by commas, or an expression giving a list. Every poll sends one balance request per watched user: 50 users polled every minute are 50 requests a minute.',
			},
			{
				displayName: 'Trigger On',
				name: 'event',
				type: 'options',
				options: Object.entries(WATCH_EVENTS).map(([value, { name, description }]) => ({
					name,
					value,
					description,
				})),
				default: DEFAULT_EVENT,
			},
			{
				displayName: THRESHOLD_DISPLAY_NAME,
				name: 'threshold',
				type: 'number',
				default: 100,
				displayOptions: { show: { event: THRESHOLD_EVENTS } },
				description:
					'Coins. Fires once when a balance crosses it, and again only after it has crossed back.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Fire on First Poll',
						name: 'fireOnFirstPoll',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after activation fires for the current state (every user for Balance Changed, users already past the threshold otherwise). Off: the first poll only records the balances.',
					},
					{
						displayName: 'Skip Unreadable Users',
						name: 'skipUnreadableUsers',
						type: 'boolean',
						default: false,
						description:
							'Whether a user whose balance cannot be read (an unknown ID, a failed request) is skipped so that the others still fire. A skipped user is named in n8n’s log, keeps their last reading and is read again on the next poll. Off: the poll fails naming the user and nothing fires, so that a mistyped ID is noticed at once instead of going unwatched.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		let watch: Watch;
		let userIds: string[];
		try {
			const event = this.getNodeParameter('event', DEFAULT_EVENT) as WatchEvent;
			watch = {
				event,
				threshold: THRESHOLD_EVENTS.includes(event)
					? requireThreshold(this.getNodeParameter('threshold'))
					: 0,
			};
			userIds = parseUserIds(this.getNodeParameter('userIds'));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), (error as Error).message, {
				description: error instanceof FieldError ? error.hint : undefined,
			});
		}
		const { fireOnFirstPoll, skipUnreadableUsers } = this.getNodeParameter(
			'options',
			{},
		) as IDataObject;

		const readings = await readBalances(this, this.getNodeParameter('authentication'), userIds, {
			skipUnreadableUsers: skipUnreadableUsers === true,
		});
		const state = this.getWorkflowStaticData('node') as PollState;
		const before = state.balances ?? {};
		const item = ({ userId, balance }: BalanceReading): BalanceEvent => ({
			userId,
			balance,
			previousBalance: before[userId] ?? null,
			event: watch.event,
		});

		// "Fetch Test Event" shows every watched user's reading and changes nothing.
		if (this.getMode() === 'manual') return [this.helpers.returnJsonArray(readings.map(item))];

		const firstPoll = state.balances === undefined;
		const events = readings
			.filter(({ userId, balance }) =>
				isEvent(watch, before[userId], balance, firstPoll && fireOnFirstPoll === true),
			)
			.map(item);
		const read = Object.fromEntries(readings.map(({ userId, balance }) => [userId, balance]));
		// A skipped user keeps their last reading, so that the next poll compares with it.
		state.balances = Object.fromEntries(
			userIds.flatMap((userId) => {
				const balance = read[userId] ?? before[userId];
				return balance === undefined ? [] : [[userId, balance]];
			}),
		);
		return events.length > 0 ? [this.helpers.returnJsonArray(events)] : null;
	}
}
