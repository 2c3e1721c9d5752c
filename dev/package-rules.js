// @ts-check
/**
 * What n8n asks of a community-node package before it verifies it, as far as
 * the repository and its packed tarball can show (`checkPackage`), and what
 * only a release can supply (`releaseGaps`). Pure: `dev/verify.js` reads the
 * files and runs n8n's scanner beside these. The manifest rules n8n's own lint
 * checks (`n8n-node lint`, in `npm test`: the name, the n8n section, no runtime
 * dependencies, the n8n-workflow peer) are not repeated here.
 */

const COMMUNITY_KEYWORD = 'n8n-community-node-package';
/** Files npm packs whatever `files` says. */
const ALWAYS_PACKED = ['package.json', 'README.md', 'LICENSE'];
/** Domains reserved for examples and tests (RFC 2606, RFC 6761): no one reads mail there. */
const RESERVED_DOMAIN = /(^|\.)(example|invalid|localhost|test|example\.(com|net|org))$/i;
/** A GitHub repository as npm writes it: git+https://github.com/owner/name.git, or github:owner/name. */
const GITHUB_REPOSITORY =
	/^(?:(?:git\+)?https:\/\/github\.com\/|github:)([\w.-]+)\/([\w.-]+?)(?:\.git)?$/;
/** Owners that a template leaves for someone to fill in. */
const PLACEHOLDER_OWNER = /^(owner|your[-_].*|user(name)?|example|org(anization)?)$/i;

/**
 * @typedef {{ name: string, ok: boolean, detail: string }} Check
 * @typedef {Record<string, any>} Manifest
 */

/** @param {string} name @param {boolean} ok @param {string} detail @returns {Check} */
const check = (name, ok, detail) => ({ name, ok, detail });

/**
 * The source file a packed `dist/` file was built or copied from:
 * `dist/nodes/X.node.js` (or `.d.ts`, `.js.map`) from `nodes/X.node.ts`.
 * @param {string} packedFile
 */
function sourceOf(packedFile) {
	return packedFile.replace(/^dist\//, '').replace(/(\.js\.map|\.d\.ts|\.js)$/, '.ts');
}

/** The `## [version]` heading of a Keep a Changelog file, with its date if it has one. */
function changelogEntry(/** @type {string} */ changelog, /** @type {string} */ version) {
	const escaped = version.replace(/[.+]/g, '\\$&');
	const heading = changelog.match(new RegExp(`^## \\[${escaped}\\](?: - (\\S+))?`, 'm'));
	if (!heading) return undefined;
	return { date: /^\d{4}-\d{2}-\d{2}$/.test(heading[1] ?? '') ? heading[1] : undefined };
}

/** `owner/name` of the GitHub repository package.json names, unless missing or a placeholder. @param {Manifest} manifest */
function githubRepositoryOf(manifest) {
	const url =
		typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
	const [, owner, name] = GITHUB_REPOSITORY.exec(url ?? '') ?? [];
	return owner && !PLACEHOLDER_OWNER.test(owner) ? `${owner}/${name}` : undefined;
}

/**
 * npm rejects a provenance publish (E422) unless `repository.url` is the repository that
 * built it (`builtIn`, owner/name); npm's page resolves the README's links against it.
 * @param {Manifest} manifest @param {string} [builtIn] @returns {Check}
 */
function repositoryCheck(manifest, builtIn) {
	const repository = githubRepositoryOf(manifest);
	const problem = repositoryProblem(manifest, repository, builtIn);
	return check(
		'repository',
		!problem,
		problem ?? `github.com/${repository}, with its issues as bugs and its page as homepage`,
	);
}

/** @param {Manifest} manifest @param {string | undefined} repository @param {string} [builtIn] */
function repositoryProblem(manifest, repository, builtIn) {
	if (!repository) {
		const now = JSON.stringify(manifest.repository?.url ?? manifest.repository ?? null);
		return `package.json's repository.url is ${now}: set it to git+https://github.com/<owner>/<name>.git, the GitHub repository releases are built from`;
	}
	if (builtIn && builtIn.toLowerCase() !== repository.toLowerCase()) {
		return `package.json names github.com/${repository}, but this build runs in github.com/${builtIn}: npm would reject the provenance (E422); correct repository.url`;
	}
	const bugs = typeof manifest.bugs === 'string' ? manifest.bugs : manifest.bugs?.url;
	if (bugs !== `https://github.com/${repository}/issues`) {
		return `bugs.url must be https://github.com/${repository}/issues, where users report problems`;
	}
	if (!String(manifest.homepage ?? '').startsWith(`https://github.com/${repository}`)) {
		return `homepage must be the repository's page, https://github.com/${repository}#readme`;
	}
	return undefined;
}

/**
 * @param {{ manifest: Manifest, packedFiles: string[], sourceFiles: string[], changelog: string, readme: string, builtIn?: string }} input
 *   `packedFiles` as `npm pack` lists them; `sourceFiles` the files git tracks;
 *   `builtIn` the GitHub repository running the build (the publish workflow).
 * @returns {Check[]}
 */
function checkPackage({ manifest, packedFiles, sourceFiles, changelog, readme, builtIn }) {
	const packed = new Set(packedFiles);
	const sources = new Set(sourceFiles);
	const n8n = manifest.n8n ?? {};
	const entryPoints = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	const missingEntryPoints = entryPoints.filter(
		(file) => typeof file !== 'string' || !file.startsWith('dist/') || !packed.has(file),
	);
	const foreign = packedFiles.filter(
		(file) =>
			!ALWAYS_PACKED.includes(file) &&
			!(/^dist\/(nodes|credentials)\//.test(file) && sources.has(sourceOf(file))),
	);
	// npm shows a relative picture from the repository; an absolute one would be an address made up here.
	const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((match) => match[1]);
	const unreachablePictures = pictures.filter((picture) => !sources.has(picture));

	return [
		check(
			'keyword',
			(manifest.keywords ?? []).includes(COMMUNITY_KEYWORD),
			`keywords include ${COMMUNITY_KEYWORD}`,
		),
		check(
			'entry points',
			entryPoints.length > 0 && missingEntryPoints.length === 0,
			missingEntryPoints.length > 0
				? `not in the tarball: ${missingEntryPoints.join(', ')}`
				: `${entryPoints.length} entry points, each in the tarball`,
		),
		check(
			'licence',
			manifest.license === 'MIT' && packed.has('LICENSE'),
			`${manifest.license}, LICENSE ${packed.has('LICENSE') ? 'packed' : 'missing'}`,
		),
		check(
			'files',
			JSON.stringify(manifest.files) === '["dist"]' && foreign.length === 0,
			foreign.length > 0
				? `packed but not built from nodes/ or credentials/: ${foreign.join(', ')}`
				: `${packedFiles.length} files: ${ALWAYS_PACKED.join(', ')} and what nodes/ and credentials/ build`,
		),
		check(
			'README pictures',
			unreachablePictures.length === 0,
			unreachablePictures.length > 0
				? `not a file in the repository: ${unreachablePictures.join(', ')}`
				: `${pictures.length} pictures, each a file in the repository, linked relatively`,
		),
		check(
			'changelog',
			changelogEntry(changelog, manifest.version) !== undefined,
			`CHANGELOG.md has an entry for ${manifest.version}`,
		),
		repositoryCheck(manifest, builtIn),
	];
}

/**
 * What the package still lacks for a release: each a line saying what to supply.
 * @param {{ manifest: Manifest, changelog: string }} input
 * @returns {string[]}
 */
function releaseGaps({ manifest, changelog }) {
	const gaps = [];
	const email = manifest.author?.email ?? '';
	const domain = email.match(/^[^@\s]+@([^@\s]+\.[^@\s]+)$/)?.[1];
	if (!manifest.author?.name || !domain || RESERVED_DOMAIN.test(domain)) {
		gaps.push(`author: a real name and email (now ${email || 'none'})`);
	}
	if (!changelogEntry(changelog, manifest.version)?.date) {
		gaps.push(
			`CHANGELOG.md: the release date of ${manifest.version} (## [${manifest.version}] - YYYY-MM-DD)`,
		);
	}
	return gaps;
}

module.exports = { checkPackage, githubRepositoryOf, releaseGaps, sourceOf };
