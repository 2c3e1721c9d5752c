/**
 * Which way the package's imports may point (`npm run lint` runs it on
 * nodes/ and credentials/): credentials below nodes, code both nodes use
 * below either node, and neither node reaching into the other.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
	forbidden: [
		{
			name: 'no-cycles',
			comment: 'Modules that import each other cannot be understood, tested or moved alone.',
			severity: 'error',
			from: {},
			to: { circular: true },
		},
		{
			name: 'credentials-below-nodes',
			comment: 'n8n loads credentials on their own: what they need lives in credentials/common/.',
			severity: 'error',
			from: { path: '^credentials/' },
			to: { path: '^nodes/' },
		},
		{
			name: 'shared-below-nodes',
			comment:
				'nodes/shared/ serves both nodes, so it imports neither node folder nor an operation.',
			severity: 'error',
			from: { path: '^nodes/shared/' },
			to: { path: '^nodes/[^/]+/', pathNot: '^nodes/shared/' },
		},
		{
			name: 'trigger-apart-from-action-node',
			comment: 'What the trigger shares with the action node belongs in nodes/shared/.',
			severity: 'error',
			from: { path: '^nodes/EnkashCoinsTrigger/' },
			to: { path: '^nodes/EnkashCoins/' },
		},
		{
			name: 'flow-control-through-its-index',
			comment: 'Flow control is used through nodes/shared/flow-control/index.ts alone.',
			severity: 'error',
			from: { pathNot: '^nodes/shared/flow-control/' },
			to: {
				path: '^nodes/shared/flow-control/',
				pathNot: '^nodes/shared/flow-control/index\\.ts$',
			},
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		tsConfig: { fileName: 'tsconfig.json' },
		tsPreCompilationDeps: true,
	},
};
