/** The campaign ledger's rules, one execution at a time: pure, so each rule is shown on its own. */
import {
	customDataOf,
	decide,
	dryRunHint,
	emptyLedger,
	overCapMessage,
	recordDryRun,
	settle,
	totalsHint,
} from '../../../nodes/EnkashCoins/campaign';

describe('decide', () => {
	it('sends the first item of a Request ID and counts it', () => {
		const ledger = emptyLedger();

		expect(decide(ledger, 'REQ-1', 0, 0)).toEqual({ kind: 'send' });
		expect(ledger.sent).toBe(1);
		expect(ledger.firsts['REQ-1']).toEqual({ position: 0 });
	});

	it('sends a repeated Request ID once: a later item is a repeat of the first', () => {
		const ledger = emptyLedger();
		decide(ledger, 'REQ-1', 0, 0);

		expect(decide(ledger, 'REQ-1', 7, 0)).toEqual({ kind: 'repeat', first: { position: 0 } });
		expect(ledger.sent).toBe(1);
	});

	it('holds back what the cap does not allow, and a repeat does not count against it', () => {
		const ledger = emptyLedger();
		decide(ledger, 'REQ-1', 0, 2);
		decide(ledger, 'REQ-1', 1, 2);
		decide(ledger, 'REQ-2', 2, 2);

		expect(decide(ledger, 'REQ-3', 3, 2)).toEqual({ kind: 'overCap', cap: 2 });
		expect(decide(ledger, 'REQ-2', 4, 2)).toMatchObject({ kind: 'repeat' });
		expect(ledger.sent).toBe(2);
	});

	it('takes the same item again (a retry of its run) as sent before once it succeeded, and sends it again otherwise, counting it once', () => {
		const ledger = emptyLedger();
		decide(ledger, 'REQ-1', 0, 1);

		expect(decide(ledger, 'REQ-1', 0, 1)).toEqual({ kind: 'send' });
		settle(ledger, ledger.firsts['REQ-1'], { error: 'Enkash answered HTTP 500' });
		settle(ledger, ledger.firsts['REQ-1'], { json: { allocated: true } });
		expect(decide(ledger, 'REQ-1', 0, 1)).toMatchObject({ kind: 'sentBefore' });
		expect(ledger.sent).toBe(1);
		expect(ledger.totals).toMatchObject({ allocated: 1, failed: 0 });
	});

	it('has no cap at 0', () => {
		const ledger = emptyLedger();
		for (let position = 0; position < 1000; position++)
			decide(ledger, `REQ-${position}`, position, 0);

		expect(ledger.sent).toBe(1000);
	});
});

describe('a dry run', () => {
	it('finds repeats and the same user and event under another Request ID', () => {
		const ledger = emptyLedger();

		expect(recordDryRun(ledger, 'REQ-A', 0, 'EK1/EVENT')).toEqual({});
		expect(recordDryRun(ledger, 'REQ-A', 1, 'EK1/EVENT')).toEqual({ duplicateOf: 0 });
		expect(recordDryRun(ledger, 'REQ-B', 2, 'EK1/EVENT')).toEqual({ sameUserAndEventAs: 'REQ-A' });
		expect(ledger.sent).toBe(0);
	});

	it('is summed up with the item numbers of each finding', () => {
		const hint = dryRunHint([
			{ userId: 'EK1', event: 'E', position: 0 },
			{ userId: 'EK1', event: 'E', position: 1, duplicateOf: 0 },
			{ userId: 'EK1', event: 'E', position: 2, sameUserAndEventAs: 'REQ-A' },
			{ userId: 'EK2', event: 'E', position: 3 },
		]);

		expect(hint).toBe(
			'Dry run: nothing was sent. 4 items would credit 2 users for 1 event. 1 item repeats an earlier item’s Request ID and would be sent once: item 1. 1 item gives a user and event that an earlier item has under another Request ID, so both would be credited: item 2. Check which column Request ID is built from.',
		);
	});

	it('lists at most 10 item numbers', () => {
		const items = Array.from({ length: 13 }, (_, position) => ({
			userId: 'EK1',
			event: 'E',
			position,
			duplicateOf: 0,
		}));

		expect(dryRunHint(items)).toContain('items 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 3 more.');
	});
});

describe('the totals', () => {
	const totals = { allocated: 997, repeats: 3, failed: 0, dryRun: 0, notSentOverCap: 0 };

	it('are text values under short keys, as n8n’s execution custom data takes them', () => {
		const data = customDataOf(totals);

		expect(data).toEqual({
			enkashAllocated: '997',
			enkashRepeatsSentOnce: '3',
			enkashFailed: '0',
			enkashDryRun: '0',
			enkashNotSentOverCap: '0',
		});
		for (const key of Object.keys(data)) expect(key.length).toBeLessThanOrEqual(50);
	});

	it('read as a sentence', () => {
		expect(totalsHint(totals)).toBe(
			'In this execution so far: 997 allocations sent and accepted, 3 repeats of an earlier Request ID sent once, 0 items failed.',
		);
		expect(totalsHint({ ...totals, notSentOverCap: 500 })).toMatch(
			/, 500 items not sent over Max Allocations per Execution\.$/,
		);
	});

	it('name the option and the count when the cap holds an item back', () => {
		expect(overCapMessage(500)).toBe(
			'Max Allocations per Execution (500) reached: 500 allocations were already sent in this execution, so this one was not sent',
		);
	});
});
