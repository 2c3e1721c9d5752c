import { sleep } from 'n8n-workflow';

import { mapWithConcurrency } from '../../../../nodes/shared/flow-control';

describe('mapWithConcurrency', () => {
	it('returns results in index order although later tasks finish first', async () => {
		const results = await mapWithConcurrency(5, 5, async (index) => {
			await sleep((5 - index) * 5);
			return index * 10;
		});
		expect(results).toEqual([0, 10, 20, 30, 40]);
	});

	it.each([1, 3, 8])('never runs more than %i tasks at once', async (limit) => {
		let running = 0;
		let peak = 0;
		await mapWithConcurrency(20, limit, async () => {
			running++;
			peak = Math.max(peak, running);
			await sleep(2);
			running--;
		});
		expect(peak).toBe(limit);
	});

	it('follows a limit that changes while the tasks run', async () => {
		let limit = 1;
		let running = 0;
		const peaks: number[] = [];
		await mapWithConcurrency(
			12,
			() => limit,
			async (index) => {
				running++;
				peaks[index] = running;
				if (index === 2) limit = 4;
				await sleep(5);
				running--;
			},
		);

		expect(Math.max(...peaks.slice(0, 3))).toBe(1);
		expect(Math.max(...peaks)).toBe(4);
	});

	it('handles no tasks at all', async () => {
		expect(await mapWithConcurrency(0, 5, async () => 1)).toEqual([]);
	});
});
