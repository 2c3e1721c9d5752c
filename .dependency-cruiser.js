/**
 * Which way the package's imports may point (`npm run lint` runs it on
 * nodes/, credentials/ and test/): credentials below nodes, code both nodes
 * use below either node, and neither node reaching into the other.
 */

/** A forbidden import: from modules matching `from` to modules matching `to`. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		forbid(
			'no-cycles',
			'Modules that import each other cannot be understood, tested or moved alone.',
			{},
			{ circular: true },
		),
		forbid(
			'credentials-below-nodes',
			'n8n loads credentials on their own: what they need lives in credentials/common/.',
			{ path: '^credentials/' },
			{ path: '^nodes/' },
		),
		forbid(
			'shared-below-nodes',
			'nodes/shared/ serves both nodes, so it imports neither node folder nor an operation.',
			{ path: '^nodes/shared/' },
			{ path: '^nodes/[^/]+/', pathNot: '^nodes/shared/' },
		),
		forbid(
			'trigger-apart-from-action-node',
			'What the trigger shares with the action node belongs in nodes/shared/.',
			{ path: '^nodes/EnkashCoinsTrigger/' },
			{ path: '^nodes/EnkashCoins/' },
		),
		forbid(
			'action-node-apart-from-trigger',
			'What the action node shares with the trigger belongs in nodes/shared/.',
			{ path: '^nodes/EnkashCoins/' },
			{ path: '^nodes/EnkashCoinsTrigger/' },
		),
		forbid(
			'flow-control-through-its-index',
			'Flow control is used through nodes/shared/flow-control/index.ts alone.',
			{ pathNot: '^nodes/shared/flow-control/' },
			{ path: '^nodes/shared/flow-control/', pathNot: '^nodes/shared/flow-control/index\\.ts$' },
		),
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		tsConfig: { fileName: 'tsconfig.json' },
		tsPreCompilationDeps: true,
	},
};
