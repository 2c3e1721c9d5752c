/**
 * Runs `task` for every index with at most `limit` running at once and
 * returns the results in index order, whatever order they finish in.
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number,
	task: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	async function worker(): Promise<void> {
		while (next < count) {
			const index = next++;
			results[index] = await task(index);
		}
	}
	const workers = Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker);
	await Promise.all(workers);
	return results;
}
