/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { checkPackage, githubRepositoryOf, releaseGaps, sourceOf } from '../../dev/package-rules';

const manifest = {
	name: 'n8n-nodes-enkash-coins',
	version: '0.1.0',
	license: 'MIT',
	keywords: ['n8n-community-node-package', 'enkash'],
	author: { name: 'Asha Rao', email: 'asha@loyalty.co.in' },
	repository: { type: 'git', url: 'git+https://github.com/loyalty/n8n-nodes-enkash-coins.git' },
	bugs: { url: 'https://github.com/loyalty/n8n-nodes-enkash-coins/issues' },
	homepage: 'https://github.com/loyalty/n8n-nodes-enkash-coins#readme',
	files: ['dist'],
	n8n: {
		n8nNodesApiVersion: 1,
		strict: true,
		credentials: ['dist/credentials/EnkashCoinsApi.credentials.js'],
		nodes: ['dist/nodes/EnkashCoins/EnkashCoins.node.js'],
	},
	peerDependencies: { 'n8n-workflow': '*' },
};
const sourceFiles = [
	'credentials/EnkashCoinsApi.credentials.ts',
	'nodes/EnkashCoins/EnkashCoins.node.ts',
	'nodes/EnkashCoins/EnkashCoins.node.json',
	'nodes/icons/enkashCoins.svg',
	'docs/images/canvas.png',
];
const packedFiles = [
	'LICENSE',
	'README.md',
	'package.json',
	'dist/credentials/EnkashCoinsApi.credentials.js',
	'dist/credentials/EnkashCoinsApi.credentials.d.ts',
	'dist/nodes/EnkashCoins/EnkashCoins.node.js',
	'dist/nodes/EnkashCoins/EnkashCoins.node.js.map',
	'dist/nodes/EnkashCoins/EnkashCoins.node.json',
	'dist/nodes/icons/enkashCoins.svg',
];
const changelog = '# Changelog\n\n## [0.1.0] - 2026-12-01\n\n### Added\n';
const readme = '# n8n-nodes-enkash-coins\n\n![The canvas](docs/images/canvas.png)\n';

function failedChecks(changes: {
	manifest?: Record<string, unknown>;
	packedFiles?: string[];
	changelog?: string;
	readme?: string;
	builtIn?: string;
}) {
	return checkPackage({
		manifest: { ...manifest, ...changes.manifest },
		packedFiles: changes.packedFiles ?? packedFiles,
		sourceFiles,
		changelog: changes.changelog ?? changelog,
		readme: changes.readme ?? readme,
		builtIn: changes.builtIn,
	})
		.filter(({ ok }) => !ok)
		.map(({ name, detail }) => `${name}: ${detail}`);
}

describe('the package rules n8n verifies', () => {
	it('pass for a community package that ships only what nodes/ and credentials/ build', () => {
		expect(failedChecks({})).toEqual([]);
	});

	it.each([
		['no community keyword', { keywords: ['n8n'] }, 'keyword'],
		['another licence', { license: 'ISC' }, 'licence'],
		['more than dist in files', { files: ['dist', 'docs'] }, 'files'],
	])('fail for %s', (_, change, failing) => {
		expect(failedChecks({ manifest: change })).toEqual([expect.stringMatching(`^${failing}`)]);
	});

	it('name an entry point that is not in the tarball', () => {
		const withoutCredential = packedFiles.filter((file) => !file.startsWith('dist/credentials/'));

		expect(failedChecks({ packedFiles: withoutCredential })).toEqual([
			'entry points: not in the tarball: dist/credentials/EnkashCoinsApi.credentials.js',
		]);
	});

	it('name every packed file that nodes/ and credentials/ did not build', () => {
		const failures = failedChecks({
			packedFiles: [
				...packedFiles,
				'dist/docs/images/canvas.png',
				'dist/nodes/EnkashCoins/stale.js',
			],
		});

		expect(failures).toEqual([
			'files: packed but not built from nodes/ or credentials/: dist/docs/images/canvas.png, dist/nodes/EnkashCoins/stale.js',
		]);
	});

	it('want README pictures that npm can show from the repository', () => {
		const readmeWithOtherPictures = `${readme}![Hosted](https://img.example.com/a.png)\n![Moved](docs/old.png)\n`;

		expect(failedChecks({ readme: readmeWithOtherPictures })).toEqual([
			'README pictures: not a file in the repository: https://img.example.com/a.png, docs/old.png',
		]);
	});

	it('want a changelog entry for the version', () => {
		expect(failedChecks({ changelog: '# Changelog\n\n## [0.0.9] - 2026-10-01\n' })).toEqual([
			'changelog: CHANGELOG.md has an entry for 0.1.0',
		]);
	});
});

describe('the repository, which npm provenance and npm’s page need', () => {
	it.each([
		['missing', undefined],
		['a placeholder', 'git+https://github.com/<owner>/n8n-nodes-enkash-coins.git'],
		['a placeholder owner', 'git+https://github.com/YOUR_ORG/n8n-nodes-enkash-coins.git'],
		['not on GitHub', 'https://example.com/n8n-nodes-enkash-coins.git'],
	])('fails when it is %s, saying what to set', (_, url) => {
		const repository = url && { type: 'git', url };

		expect(failedChecks({ manifest: { repository } })).toEqual([
			expect.stringMatching(
				/^repository: package\.json's repository\.url is .*: set it to git\+https:\/\/github\.com\/<owner>\/<name>\.git/,
			),
		]);
	});

	it('fails when the build runs in another repository, as npm would (E422)', () => {
		expect(failedChecks({ builtIn: 'someone-else/n8n-nodes-enkash-coins' })).toEqual([
			'repository: package.json names github.com/loyalty/n8n-nodes-enkash-coins, but this build runs in github.com/someone-else/n8n-nodes-enkash-coins: npm would reject the provenance (E422); correct repository.url',
		]);
		expect(failedChecks({ builtIn: 'Loyalty/n8n-nodes-enkash-coins' })).toEqual([]);
	});

	it('wants bugs and homepage on the same repository', () => {
		expect(failedChecks({ manifest: { bugs: undefined } })).toEqual([
			'repository: bugs.url must be https://github.com/loyalty/n8n-nodes-enkash-coins/issues, where users report problems',
		]);
		expect(failedChecks({ manifest: { homepage: 'https://www.npmjs.com/package/x' } })).toEqual([
			"repository: homepage must be the repository's page, https://github.com/loyalty/n8n-nodes-enkash-coins#readme",
		]);
	});

	it('reads the forms npm accepts', () => {
		expect(githubRepositoryOf({ repository: 'github:loyalty/n8n-nodes-enkash-coins' })).toBe(
			'loyalty/n8n-nodes-enkash-coins',
		);
		expect(
			githubRepositoryOf({
				repository: { url: 'https://github.com/loyalty/n8n-nodes-enkash-coins' },
			}),
		).toBe('loyalty/n8n-nodes-enkash-coins');
	});

	it('is checked by the publish workflow against the repository it runs in, before npm publish', () => {
		const steps = fs.readFileSync(
			path.join(__dirname, '../../.github/workflows/publish.yml'),
			'utf8',
		);
		const verify = steps.indexOf(
			'run: npm run verify -- --release --built-in="$GITHUB_REPOSITORY"',
		);
		const publish = steps.indexOf('run: npm publish');

		expect(verify).toBeGreaterThan(-1);
		expect(publish).toBeGreaterThan(verify);
	});

	it('is set in this package', () => {
		const ownManifest = JSON.parse(
			fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
		);

		expect(
			checkPackage({ manifest: ownManifest, packedFiles, sourceFiles, changelog, readme }).find(
				({ name }) => name === 'repository',
			),
		).toMatchObject({ ok: true });
	});
});

describe('what a release must supply', () => {
	it('is nothing once a real author and a dated entry are there', () => {
		expect(releaseGaps({ manifest, changelog })).toEqual([]);
	});

	it('names each that is missing', () => {
		const gaps = releaseGaps({
			manifest: {
				...manifest,
				author: { name: 'maintainers', email: 'maintainers@n8n-nodes-enkash-coins.invalid' },
			},
			changelog: '## [0.1.0] - Unreleased\n',
		});

		expect(gaps).toEqual([
			'author: a real name and email (now maintainers@n8n-nodes-enkash-coins.invalid)',
			'CHANGELOG.md: the release date of 0.1.0 (## [0.1.0] - YYYY-MM-DD)',
		]);
	});

	it.each(['dev@example.com', 'dev@shop.test', 'dev@localhost', ''])(
		'takes an author email of %p for a placeholder',
		(email) => {
			expect(
				releaseGaps({ manifest: { ...manifest, author: { name: 'A', email } }, changelog }),
			).toHaveLength(1);
		},
	);
});

describe('sourceOf', () => {
	it.each([
		['dist/nodes/EnkashCoins/EnkashCoins.node.js', 'nodes/EnkashCoins/EnkashCoins.node.ts'],
		['dist/nodes/EnkashCoins/EnkashCoins.node.d.ts', 'nodes/EnkashCoins/EnkashCoins.node.ts'],
		['dist/credentials/common/single-flight.js.map', 'credentials/common/single-flight.ts'],
		['dist/nodes/icons/enkashCoins.svg', 'nodes/icons/enkashCoins.svg'],
	])('finds the source of %s', (packed, source) => {
		expect(sourceOf(packed)).toBe(source);
	});
});
