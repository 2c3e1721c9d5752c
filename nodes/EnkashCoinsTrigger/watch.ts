import { FieldError, describeType, requireText } from '../shared/input/validation';

/**
 * What the Enkash Coins Trigger watches for, and when a reading of a user's
 * balance becomes an event. Pure: the node reads the balances and keeps the
 * last reading of each user in the workflow's static data.
 */
export const WATCH_EVENTS = {
	balanceChanged: {
		name: 'Balance Changed',
		description: 'When a balance differs from the last reading',
	},
	balanceBelow: {
		name: 'Balance Fell Below',
		description: 'When a balance at or above the threshold falls below it',
	},
	balanceAbove: {
		name: 'Balance Rose Above',
		description: 'When a balance at or below the threshold rises above it',
	},
} as const;

export type WatchEvent = keyof typeof WATCH_EVENTS;

export interface Watch {
	event: WatchEvent;
	/** For balanceBelow and balanceAbove. */
	threshold: number;
}

/** One output item of the trigger. */
export type BalanceEvent = {
	userId: string;
	balance: number;
	/** The last reading before this one; null when there was none. */
	previousBalance: number | null;
	event: WatchEvent;
};

export const USER_IDS_DISPLAY_NAME = 'User IDs';
export const THRESHOLD_DISPLAY_NAME = 'Threshold';

/**
 * The watched user IDs: a list, or text with one ID per line or separated by
 * commas. Blanks are dropped and each ID is kept once, in the order given.
 */
export function parseUserIds(value: unknown): string[] {
	let entries: unknown[];
	if (Array.isArray(value)) entries = value;
	else if (typeof value === 'string') entries = value.split(/[\n,]/);
	else if (typeof value === 'number') entries = [value];
	else {
		throw new FieldError(
			USER_IDS_DISPLAY_NAME,
			`"${USER_IDS_DISPLAY_NAME}" must be a list of user IDs or text, but got ${describeType(value)}`,
			'Type the IDs one per line or separated by commas, or map a list, for example {{ $json.userIds }}.',
		);
	}
	const ids = entries
		.filter((entry) => !(typeof entry === 'string' && entry.trim() === ''))
		.map((entry) => requireText(entry, USER_IDS_DISPLAY_NAME));
	if (ids.length === 0) {
		throw new FieldError(
			USER_IDS_DISPLAY_NAME,
			`"${USER_IDS_DISPLAY_NAME}" is required but is empty`,
			'Type the IDs of the users to watch, one per line or separated by commas.',
		);
	}
	return [...new Set(ids)];
}

export function requireThreshold(value: unknown): number {
	const threshold = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
		throw new FieldError(
			THRESHOLD_DISPLAY_NAME,
			`"${THRESHOLD_DISPLAY_NAME}" must be a number, got ${JSON.stringify(value) ?? 'nothing'}`,
			'Give the threshold as a number of coins, such as 100.',
		);
	}
	return threshold;
}

/** Whether the balance is on the side of the threshold the watch fires for. */
function isPastThreshold(watch: Watch, balance: number): boolean {
	return watch.event === 'balanceBelow' ? balance < watch.threshold : balance > watch.threshold;
}

/**
 * Whether a new reading is an event: a change from the previous reading, or a
 * crossing of the threshold (once: a balance that stays below it does not fire
 * again until it has risen to it and fallen once more). Without a previous
 * reading nothing fires, unless `fromNothing` asks for the current state.
 */
export function isEvent(
	watch: Watch,
	previous: number | undefined,
	balance: number,
	fromNothing = false,
): boolean {
	if (previous === undefined) {
		return fromNothing && (watch.event === 'balanceChanged' || isPastThreshold(watch, balance));
	}
	if (watch.event === 'balanceChanged') return balance !== previous;
	return isPastThreshold(watch, balance) && !isPastThreshold(watch, previous);
}
