import type { IDataObject } from 'n8n-workflow';

/**
 * What one execution has done with an operation that credits coins, across
 * the node's runs (Loop Over Items) and an agent's tool calls: n8n keeps it in
 * the execution's context for the node (`getContext('node')`), which lives as
 * long as the execution. Pure, so it is unit-tested; run-operation.ts applies it.
 */
export interface CampaignLedger {
	/** Items the node has been given so far in this execution: the position of the next one. */
	seen: number;
	/** Allocations sent to Enkash, counted against Max Allocations per Execution. */
	sent: number;
	/** The first item of each Request ID: its position, and its outcome once known. */
	firsts: Record<string, FirstItem>;
	/** The first Request ID of each user and event, in a dry run. */
	byUserAndEvent: Record<string, string>;
	totals: CampaignTotals;
}

export interface FirstItem {
	position: number;
	/** The output of its allocation, or its error message; absent while it is in flight or in a dry run. */
	outcome?: { json: IDataObject } | { error: string; description?: string };
}

export interface CampaignTotals {
	allocated: number;
	repeats: number;
	failed: number;
	dryRun: number;
	notSentOverCap: number;
}

export function emptyLedger(): CampaignLedger {
	return {
		seen: 0,
		sent: 0,
		firsts: {},
		byUserAndEvent: {},
		totals: { allocated: 0, repeats: 0, failed: 0, dryRun: 0, notSentOverCap: 0 },
	};
}

/**
 * What happens to an item: sent; a repeat of an earlier item; already sent by
 * an earlier attempt of this same run (n8n's Retry On Fail runs the node again
 * on the same items); or held back by the cap.
 */
export type Decision =
	| { kind: 'send' }
	| { kind: 'repeat'; first: FirstItem }
	| { kind: 'sentBefore'; first: FirstItem }
	| { kind: 'overCap'; cap: number };

/**
 * Decides for the item at `position` with Request ID `key`, and records the
 * decision: a first Request ID is sent unless `cap` (0: none) has been reached.
 * The same item again (a retry of its run) is sent again only if it did not
 * succeed, and counts once against the cap.
 */
export function decide(
	ledger: CampaignLedger,
	key: string,
	position: number,
	cap: number,
): Decision {
	const first = ledger.firsts[key];
	if (first && first.position !== position) return { kind: 'repeat', first };
	if (first)
		return first.outcome && 'json' in first.outcome
			? { kind: 'sentBefore', first }
			: { kind: 'send' };
	if (cap > 0 && ledger.sent >= cap) return { kind: 'overCap', cap };
	ledger.sent += 1;
	ledger.firsts[key] = { position };
	return { kind: 'send' };
}

/** Records a sent item's outcome in the totals; a retry that now succeeds is no longer a failure. */
export function settle(
	ledger: CampaignLedger,
	first: FirstItem,
	outcome: NonNullable<FirstItem['outcome']>,
) {
	if (first.outcome && !('json' in first.outcome)) ledger.totals.failed -= 1;
	first.outcome = outcome;
	if ('json' in outcome) ledger.totals.allocated += 1;
	else ledger.totals.failed += 1;
}

/** The message of an allocation held back by the cap, naming the option and the count. */
export function overCapMessage(cap: number): string {
	return `Max Allocations per Execution (${cap}) reached: ${cap} allocations were already sent in this execution, so this one was not sent`;
}

export const OVER_CAP_ADVICE =
	'Nothing was sent for this item. Raise Max Allocations per Execution in the node’s options (0 means no cap) if the campaign is meant to be larger, then run the items that were not sent again.';

/** A dry run's findings: the first item of each Request ID, and the same user and event under another one. */
export interface DryRunFinding {
	duplicateOf?: number;
	/** The Request ID this item's user and event already had, when it differs from this item's. */
	sameUserAndEventAs?: string;
}

/** Records a dry-run item and says what is notable about it. */
export function recordDryRun(
	ledger: CampaignLedger,
	key: string,
	position: number,
	userAndEvent: string,
): DryRunFinding {
	const finding: DryRunFinding = {};
	const first = ledger.firsts[key];
	if (first) finding.duplicateOf = first.position;
	else ledger.firsts[key] = { position };
	const earlierKey = ledger.byUserAndEvent[userAndEvent];
	if (earlierKey === undefined) ledger.byUserAndEvent[userAndEvent] = key;
	else if (earlierKey !== key) finding.sameUserAndEventAs = earlierKey;
	return finding;
}

/** The execution's totals as n8n's execution custom data: text values, keys under 50 characters. */
export function customDataOf(totals: CampaignTotals): Record<string, string> {
	return {
		enkashAllocated: String(totals.allocated),
		enkashRepeatsSentOnce: String(totals.repeats),
		enkashFailed: String(totals.failed),
		enkashDryRun: String(totals.dryRun),
		enkashNotSentOverCap: String(totals.notSentOverCap),
	};
}

const plural = (count: number, one: string, many = `${one}s`) =>
	`${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** Item numbers as n8n's output counts them (from 0): at most 10, then how many more. */
function itemList(positions: number[]): string {
	const shown = positions.slice(0, 10).join(', ');
	const more = positions.length > 10 ? ` and ${positions.length - 10} more` : '';
	return `${positions.length === 1 ? 'item' : 'items'} ${shown}${more}`;
}

/** The execution's totals in words, for the hint above the output. */
export function totalsHint(totals: CampaignTotals): string {
	const parts = [
		`${plural(totals.allocated, 'allocation')} sent and accepted`,
		`${plural(totals.repeats, 'repeat')} of an earlier Request ID sent once`,
		`${plural(totals.failed, 'item')} failed`,
	];
	if (totals.notSentOverCap > 0)
		parts.push(
			`${plural(totals.notSentOverCap, 'item')} not sent over Max Allocations per Execution`,
		);
	return `In this execution so far: ${parts.join(', ')}.`;
}

/** A dry run's summary in words: what would be sent, repeats, and users under several Request IDs. */
export function dryRunHint(
	items: Array<{ userId: string; event: string } & DryRunFinding & { position: number }>,
): string {
	const users = new Set(items.map(({ userId }) => userId));
	const events = new Set(items.map(({ event }) => event));
	const repeats = items.filter(({ duplicateOf }) => duplicateOf !== undefined);
	const sameUser = items.filter(({ sameUserAndEventAs }) => sameUserAndEventAs !== undefined);
	const lines = [
		`Dry run: nothing was sent. ${plural(items.length, 'item')} would credit ${plural(users.size, 'user')} for ${plural(events.size, 'event')}.`,
	];
	if (repeats.length > 0)
		lines.push(
			`${plural(repeats.length, 'item')} ${repeats.length === 1 ? 'repeats' : 'repeat'} an earlier item’s Request ID and would be sent once: ${itemList(repeats.map(({ position }) => position))}.`,
		);
	if (sameUser.length > 0)
		lines.push(
			`${plural(sameUser.length, 'item')} ${sameUser.length === 1 ? 'gives' : 'give'} a user and event that an earlier item has under another Request ID, so both would be credited: ${itemList(sameUser.map(({ position }) => position))}. Check which column Request ID is built from.`,
		);
	return lines.join(' ');
}
