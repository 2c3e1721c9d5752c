import { sleep } from 'n8n-workflow';

import { singleFlight } from '../../../credentials/common/single-flight';

describe('singleFlight', () => {
	it('runs a task once for callers that overlap, and gives each the same result', async () => {
		const shared = singleFlight<string>();
		let runs = 0;
		const task = async () => {
			runs++;
			await sleep(10);
			return `token-${runs}`;
		};

		const results = await Promise.all([shared('a', task), shared('a', task), shared('a', task)]);

		expect(results).toEqual(['token-1', 'token-1', 'token-1']);
		expect(runs).toBe(1);
	});

	it('runs again once the previous run has settled', async () => {
		const shared = singleFlight<number>();
		let runs = 0;
		const task = async () => ++runs;

		expect(await shared('a', task)).toBe(1);
		expect(await shared('a', task)).toBe(2);
	});

	it('keeps different keys apart', async () => {
		const shared = singleFlight<string>();

		expect(await Promise.all([shared('a', async () => 'A'), shared('b', async () => 'B')])).toEqual(
			['A', 'B'],
		);
	});

	it('shares a failure with every waiting caller, then lets the next call try again', async () => {
		const shared = singleFlight<string>();
		let runs = 0;
		const failing = async () => {
			runs++;
			await sleep(5);
			throw new Error('refused');
		};

		const results = await Promise.allSettled([shared('a', failing), shared('a', failing)]);

		expect(results.map(({ status }) => status)).toEqual(['rejected', 'rejected']);
		expect(runs).toBe(1);
		await expect(shared('a', async () => 'ok')).resolves.toBe('ok');
	});
});
