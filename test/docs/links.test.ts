/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test code: it runs under jest on Node, never inside n8n */
/**
 * The links a person follows: the editor's Docs links land on a heading of
 * the README (which npm's page shows), and the README's and docs' relative
 * links and pictures lead to files of the repository, which npm's page
 * resolves them against.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { EnkashCoinsApi } from '../../credentials/EnkashCoinsApi.credentials';
import { EnkashCoinsPasswordApi } from '../../credentials/EnkashCoinsPasswordApi.credentials';

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE_PAGE = 'https://www.npmjs.com/package/n8n-nodes-enkash-coins';
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** A heading's anchor as GitHub and npm make it: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

const anchorsOf = (markdown: string) =>
	new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => anchorOf(heading)));

/** Every Docs link the editor shows: the credentials' and the nodes' (their codex files). */
function docsLinks(): string[] {
	const codexLinks = ['EnkashCoins', 'EnkashCoinsTrigger'].flatMap((node) => {
		const codex = JSON.parse(read(`nodes/${node}/${node}.node.json`)) as {
			resources: Record<string, Array<{ url: string }>>;
		};
		return Object.values(codex.resources)
			.flat()
			.map(({ url }) => url);
	});
	return [
		new EnkashCoinsApi().documentationUrl,
		new EnkashCoinsPasswordApi().documentationUrl,
		...codexLinks,
	];
}

const tracked = new Set(
	execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean),
);
const isTracked = (file: string) =>
	tracked.has(file) || [...tracked].some((trackedFile) => trackedFile.startsWith(`${file}/`));

describe('anchorOf', () => {
	it.each([
		['Enkash Coins Trigger', 'enkash-coins-trigger'],
		['As an AI Agent’s tool', 'as-an-ai-agents-tool'],
		['What to ask Enkash for', 'what-to-ask-enkash-for'],
	])('makes %p into #%s', (heading, anchor) => {
		expect(anchorOf(heading)).toBe(anchor);
	});
});

describe('the editor’s Docs links', () => {
	it.each(docsLinks())('%s opens the README on npm at one of its headings', (link) => {
		const [page, anchor] = link.split('#');

		expect(page).toBe(PACKAGE_PAGE);
		if (anchor !== undefined) expect(anchorsOf(read('README.md'))).toContain(anchor);
	});
});

describe.each([
	'README.md',
	...fs
		.readdirSync(path.join(ROOT, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => `docs/${file}`),
])('%s', (file) => {
	const markdown = read(file);
	const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map(([, target]) => target);

	it('links and shows only files of the repository, and headings that exist', () => {
		const broken = targets.filter((target) => {
			if (/^(https?:|mailto:)/.test(target)) return false;
			const [relative, anchor] = target.split('#');
			if (relative === '') return !anchorsOf(markdown).has(anchor);
			const linked = path.normalize(path.join(path.dirname(file), relative));
			if (!isTracked(linked)) return true;
			return anchor !== undefined && linked.endsWith('.md') && !anchorsOf(read(linked)).has(anchor);
		});

		expect(broken).toEqual([]);
	});
});
