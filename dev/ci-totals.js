// @ts-check
/**
 * The dev tools that .ci/run counts (`test:compat`, `test:platforms`,
 * `verify`) take `--outputFile=<file>` as jest does, and write their totals
 * there in the shape of jest's --json.
 */
const fs = require('node:fs');

/**
 * @param {{ numPassedTests: number, numFailedTests: number, numRuntimeErrorTestSuites?: number }} totals
 * @param {string[]} argv
 */
function writeTotals(totals, argv = process.argv) {
	const outputFile = argv
		.find((arg) => arg.startsWith('--outputFile='))
		?.slice('--outputFile='.length);
	if (outputFile) {
		fs.writeFileSync(outputFile, JSON.stringify({ numRuntimeErrorTestSuites: 0, ...totals }));
	}
}

module.exports = { writeTotals };
