/**
 * Lets concurrent callers with the same key share one run of a task: the
 * first caller starts it, the others await the same promise until it settles.
 */
export function singleFlight<T>(): (key: string, task: () => Promise<T>) => Promise<T> {
	const inFlight = new Map<string, Promise<T>>();
	return (key, task) => {
		const running = inFlight.get(key);
		if (running) return running;
		const started = task().finally(() => inFlight.delete(key));
		inFlight.set(key, started);
		return started;
	};
}
