// @ts-check
/**
 * Where the CPU time of one run of the Enkash Coins node goes, from a V8 CPU
 * profile of the n8n process: self time grouped by component, counted from the
 * first to the last sample in which the node's own code runs.
 */
const fs = require('node:fs');

/** @type {Array<[string, RegExp]>} */
const COMPONENTS = [
	['the Enkash Coins node', /n8n-nodes-enkash-coins/],
	[
		"n8n's HTTP client (axios, redirects, proxy lookup, agents)",
		/@n8n\/backend-network|axios|follow-redirects|proxy-from-env|node:_http|node:https?\b|node:url/,
	],
	[
		'new TCP connection per request (node:net)',
		/node:net|node:dns|node:internal\/net|writev|close/,
	],
	[
		"n8n's engine (n8n-core, n8n-workflow, n8n)",
		/n8n-core|n8n-workflow|node_modules\/n8n\/|@n8n\//,
	],
	['garbage collection', /^\(garbage collector\)$/],
	['idle (waiting for the sandbox)', /^\(idle\)$/],
];

/** @param {string} file @returns {Array<{ component: string, ms: number }>} */
function summariseProfile(file) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	/** @type {Map<number, any>} */
	const nodes = new Map(profile.nodes.map((/** @type {any} */ node) => [node.id, node]));
	/** @type {Map<number, number>} */
	const parents = new Map();
	for (const node of profile.nodes)
		for (const child of node.children ?? []) parents.set(child, node.id);
	const inOurCode = (/** @type {number} */ id) => {
		for (
			let current = id;
			current !== undefined;
			current = /** @type {number} */ (parents.get(current))
		) {
			if (COMPONENTS[0][1].test(nodes.get(current).callFrame.url)) return true;
		}
		return false;
	};
	const first = profile.samples.findIndex(inOurCode);
	const last = profile.samples.findLastIndex(inOurCode);
	/** @type {Map<string, number>} */
	const totals = new Map();
	for (let index = first; index >= 0 && index <= last; index++) {
		const frame = nodes.get(profile.samples[index]).callFrame;
		const label = frame.url || `(${frame.functionName.replace(/[()]/g, '')})`;
		const component =
			COMPONENTS.find(([, pattern]) => pattern.test(label))?.[0] ??
			'other (Node.js internals, JSON, timers)';
		totals.set(component, (totals.get(component) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
	}
	return [...totals.entries()]
		.map(([component, ms]) => ({ component, ms }))
		.sort((a, b) => b.ms - a.ms);
}

module.exports = { summariseProfile };
