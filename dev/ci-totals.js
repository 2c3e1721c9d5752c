// @ts-check
/**
 * The dev tools that .ci/run counts (`test:compat`, `verify`)
 * take jest's `--json --outputFile=<file>`, and write their totals
 * there in the shape of jest's --json.
 */
const fs = require('node:fs');
const { parseArgs } = require('node:util');

/**
 * The command line of such a tool: jest's two flags and the tool's own.
 * @param {import('node:util').ParseArgsConfig['options']} [options]
 * @returns {{ outputFile?: string } & Record<string, string | boolean | undefined>}
 */
function toolFlags(options) {
	return parseArgs({
		// `npm run test:compat -- --without-pinned -- --json ...` passes npm's second `--` on.
		args: process.argv.slice(2).filter((arg) => arg !== '--'),
		options: { json: { type: 'boolean' }, outputFile: { type: 'string' }, ...options },
	}).values;
}

/**
 * @param {{ numPassedTests: number, numFailedTests: number, numRuntimeErrorTestSuites?: number }} totals
 * @param {string | undefined} outputFile
 */
function writeTotals(totals, outputFile) {
	if (outputFile) {
		fs.writeFileSync(outputFile, JSON.stringify({ numRuntimeErrorTestSuites: 0, ...totals }));
	}
}

module.exports = { toolFlags, writeTotals };
