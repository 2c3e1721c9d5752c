import { FlowControl } from '../../../../nodes/shared/flow-control';

describe('FlowControl', () => {
	it('sends at once and keeps up to 5 in flight until Enkash throttles', async () => {
		const flow = new FlowControl(20, () => 0);
		let running = 0;
		let most = 0;

		await flow.run([0, 1, 2, 3, 4, 5, 6, 7], async () => {
			running += 1;
			most = Math.max(most, running);
			expect(flow.delayBeforeSend()).toBe(0);
			await Promise.resolve();
			running -= 1;
		});

		expect(most).toBe(5);
	});

	it('after a second with 429s, spaces the sends at the rate Enkash accepted', () => {
		let now = 0;
		const flow = new FlowControl(20, () => now);
		for (let answer = 0; answer < 60; answer += 1) {
			now = answer * 16;
			flow.record(answer % 6 === 0);
		}
		now = 1000;
		flow.record(false);

		// 50 of the 60 answers in the first second were accepted: 47.5 a second.
		expect(flow.delayBeforeSend()).toBe(0);
		expect(flow.delayBeforeSend()).toBeCloseTo(1000 / 47.5);
	});
});
