// @ts-check
/**
 * n8n in queue mode on one machine, as teams run it at scale: PostgreSQL and
 * Redis, a main instance (editor, API, production webhooks) that hands
 * executions to workers through Redis, every process with this package and
 * one encryption key. What `npm run test:queue` and `npm run start:queue` run.
 */
const { N8n } = require('./n8n');
const { startPostgres, startRedis } = require('./services');

/**
 * @param {{
 *   workers?: number,
 *   port?: number,
 *   env?: Record<string, string>,
 *   prepare?: (main: N8n) => Promise<void>,
 *   log?: (line: string) => void,
 * }} [options]
 *   `prepare` imports credentials and workflows before the main instance starts;
 *   `env` is more n8n settings for every process.
 */
async function startQueueMode({
	workers = 2,
	port,
	env = {},
	prepare,
	log = (line) => console.error(line),
} = {}) {
	/** @type {Array<{ stop: () => Promise<void> }>} */
	const started = [];
	/** @type {N8n[]} */
	const running = [];
	const stopAll = async () => {
		await Promise.all(running.map((worker) => worker.stop()));
		for (const part of started.reverse()) await part.stop();
	};
	try {
		log('Starting PostgreSQL and Redis...');
		const postgres = await startPostgres();
		started.push(postgres);
		const redis = await startRedis();
		started.push(redis);

		log('Preparing n8n with the Enkash Coins package...');
		const main = N8n.create({
			log,
			env: {
				...postgres.n8nEnv,
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redis.port),
				...env,
			},
		});
		started.push({ stop: () => main.dispose() });
		await prepare?.(main);
		log('Starting the main instance...');
		await main.start({ port });

		const addWorker = async () => {
			const worker = main.sibling(`worker-${running.length + 1}`);
			running.push(worker);
			await worker.startWorker();
			return worker;
		};
		log(`Starting ${workers} workers...`);
		await Promise.all(Array.from({ length: workers }, addWorker));

		return {
			main,
			postgres,
			redis,
			/** The workers started, in order; a killed one stays listed. */
			workers: running,
			addWorker,
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

module.exports = { startQueueMode };
