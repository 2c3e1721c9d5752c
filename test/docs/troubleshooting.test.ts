/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: it runs under jest on Node, never inside n8n */
/**
 * Every message the package can raise has a row in the README's
 * Troubleshooting table. The messages are read from the source: the text of
 * each error the nodes and credentials construct, and each `message` or
 * `problem` they hand to one. A row quotes a message's first fixed part (at
 * least 12 characters, outside its `${…}` parts), up to about 40 characters.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
/** Which argument of an error's constructor is its message, where it is not the first. */
const MESSAGE_ARGUMENT: Record<string, number> = { NodeOperationError: 1, FieldError: 1 };
/** A fixed part shorter than this is a wrapper around another message (`${message} [item 3]`). */
const SHORTEST_FIXED_PART = 12;
/** As much of a fixed part as a row must quote: a message's start names it. */
const QUOTED_LENGTH = 40;
/** Errors that stop a request inside the package and are never shown. */
const NEVER_SHOWN = new Set([
	// The carrier's stop (credentials/common/login-memory.ts), swallowed by nodes/shared/transport/session.ts.
	'Stored in the credential; nothing was sent',
]);

function sourceFiles(dir: string): ts.SourceFile[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(relative);
		if (!entry.name.endsWith('.ts')) return [];
		const text = fs.readFileSync(path.join(ROOT, relative), 'utf8');
		return [ts.createSourceFile(relative, text, ts.ScriptTarget.Latest, true)];
	});
}

type Text = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;
const isText = (node: ts.Node | undefined): node is Text =>
	!!node &&
	(ts.isStringLiteral(node) ||
		ts.isNoSubstitutionTemplateLiteral(node) ||
		ts.isTemplateExpression(node));

/** The fixed parts of a string or template literal, without its `${…}` parts. */
function fixedParts(text: Text): string[] {
	if (!ts.isTemplateExpression(text)) return [text.text];
	return [text.head.text, ...text.templateSpans.map((span) => span.literal.text)];
}

/** The start of a fixed part, cut at a word's end. */
function quoted(part: string): string {
	if (part.length <= QUOTED_LENGTH) return part;
	return part.slice(0, part.lastIndexOf(' ', QUOTED_LENGTH));
}

/** Each message the source can raise, as `{ file, fixed }`: its longest fixed part. */
function raisableMessages(): Array<{ file: string; fixed: string }> {
	const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];
	const constants = new Map<string, Text>();
	const errorClasses = new Set(['Error', 'NodeOperationError', 'NodeApiError']);
	for (const file of files) {
		ts.forEachChild(file, function collect(node) {
			if (ts.isVariableDeclaration(node) && isText(node.initializer))
				constants.set(node.name.getText(), node.initializer);
			if (
				ts.isClassDeclaration(node) &&
				node.name &&
				node.heritageClauses?.[0]?.types[0]?.expression.getText() === 'Error'
			)
				errorClasses.add(node.name.text);
			ts.forEachChild(node, collect);
		});
	}
	const resolve = (node: ts.Node | undefined): Text | undefined =>
		isText(node) ? node : node && ts.isIdentifier(node) ? constants.get(node.text) : undefined;

	const messages: Array<{ file: string; fixed: string }> = [];
	for (const file of files) {
		ts.forEachChild(file, function visit(node) {
			let message: Text | undefined;
			if (ts.isPropertyAssignment(node) && ['message', 'problem'].includes(node.name.getText()))
				message = resolve(node.initializer);
			if (ts.isNewExpression(node) && errorClasses.has(node.expression.getText())) {
				const index = MESSAGE_ARGUMENT[node.expression.getText()] ?? 0;
				message = resolve(node.arguments?.[index]);
			}
			if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword)
				message = resolve(node.arguments[0]);
			if (message) {
				const parts = fixedParts(message).map((part) => part.trim());
				const first = parts.find((part) => part.length >= SHORTEST_FIXED_PART);
				const fixed = quoted(first ?? '');
				if (first && !NEVER_SHOWN.has(first)) messages.push({ file: file.fileName, fixed });
			}
			ts.forEachChild(node, visit);
		});
	}
	return messages;
}

/** The README's Troubleshooting section, its code spans as one text (quotes as the code writes them). */
function troubleshooting(readme: string): string {
	const section = readme.split(/^## /m).find((part) => part.startsWith('Troubleshooting'));
	return [...(section ?? '').matchAll(/`([^`]+)`/g)].map(([, code]) => code).join('\n');
}

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const messages = raisableMessages();

/** The messages a README's Troubleshooting has no row for. */
const missingRows = (readmeText: string) =>
	messages.filter(({ fixed }) => !troubleshooting(readmeText).includes(fixed));

describe('the README’s Troubleshooting', () => {
	it('finds the messages in the source', () => {
		expect(messages.length).toBeGreaterThan(30);
		expect(messages.map(({ fixed }) => fixed)).toEqual(
			expect.arrayContaining(['" is required but is empty', 'Enkash returned an empty response']),
		);
	});

	it('has a row for each of them', () => {
		expect(missingRows(readme)).toEqual([]);
	});

	it('misses a message once its row is removed', () => {
		const withoutRow = readme.replace(/^\| `Enkash rejected the request: …`.*$/m, '');

		expect(missingRows(withoutRow)).toEqual([
			expect.objectContaining({ fixed: 'Enkash rejected the request:' }),
		]);
	});
});
