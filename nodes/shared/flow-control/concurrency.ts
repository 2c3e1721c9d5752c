/**
 * Runs `task` for every index with at most `limit()` running at once and
 * returns the results in index order, whatever order they finish in. The
 * limit is asked again whenever a task ends, so it may change during the run.
 */
export async function mapWithConcurrency<T>(
	count: number,
	limit: number | (() => number),
	task: (index: number) => Promise<T>,
): Promise<T[]> {
	const currentLimit = typeof limit === 'number' ? () => limit : limit;
	const results = new Array<T>(count);
	if (count === 0) return results;
	let next = 0;
	let running = 0;
	return await new Promise<T[]>((resolve, reject) => {
		const startMore = () => {
			while (running < Math.max(1, currentLimit()) && next < count) {
				const index = next++;
				running += 1;
				task(index).then((result) => {
					results[index] = result;
					running -= 1;
					if (next >= count && running === 0) resolve(results);
					else startMore();
				}, reject);
			}
		};
		startMore();
	});
}

/**
 * Runs `task` for each of `indices`: the first alone, so that the credential
 * fetches its token once (or is refused once) before the fan-out, then the
 * rest as {@link mapWithConcurrency} does.
 */
export async function runFirstAlone<T>(
	indices: number[],
	limit: number | (() => number),
	task: (index: number) => Promise<T>,
): Promise<void> {
	if (indices.length === 0) return;
	await task(indices[0]);
	await mapWithConcurrency(indices.length - 1, limit, (position) => task(indices[position + 1]));
}
