// @ts-check
/**
 * The benchmark's chart: allocations per second against the API's latency, one
 * line per contender, drawn as a standalone SVG (no library: the package keeps
 * no runtime dependency, and the chart is a few lines and labels).
 */

const WIDTH = 760;
const HEIGHT = 400;
const PLOT = { left: 70, right: 440, top: 40, bottom: 340 };
const COLOURS = ['#ea4b71', '#7b61ff', '#2f80ed', '#27ae60', '#f2994a'];

/**
 * @typedef {{ label: string, points: Array<{ latencyMs: number, perSecond: number }> }} Series
 * @param {{ title: string, series: Series[] }} chart
 * @returns {string} the SVG document
 */
function chartSvg({ title, series }) {
	const latencies = [...new Set(series.flatMap(({ points }) => points.map((p) => p.latencyMs)))];
	latencies.sort((a, b) => a - b);
	const rates = series.flatMap(({ points }) => points.map((p) => p.perSecond));
	// Rates span two orders of magnitude, so the y axis is logarithmic, in whole decades.
	const low = Math.floor(Math.log10(Math.min(...rates)));
	const high = Math.ceil(Math.log10(Math.max(...rates)));
	const x = (/** @type {number} */ latencyMs) =>
		PLOT.left +
		((PLOT.right - PLOT.left) * latencies.indexOf(latencyMs)) / Math.max(1, latencies.length - 1);
	const y = (/** @type {number} */ perSecond) =>
		PLOT.bottom - ((PLOT.bottom - PLOT.top) * (Math.log10(perSecond) - low)) / (high - low);
	const text = (
		/** @type {number} */ tx,
		/** @type {number} */ ty,
		/** @type {string} */ body,
		anchor = 'middle',
	) =>
		`<text x="${tx.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="${anchor}">${escape(body)}</text>`;

	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
		`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
		`<g font-size="14" font-weight="bold">${text(WIDTH / 2, 22, title)}</g>`,
	];
	for (let decade = low; decade <= high; decade += 1) {
		const gy = y(10 ** decade);
		parts.push(
			`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${gy.toFixed(1)}" y2="${gy.toFixed(1)}" stroke="#ddd"/>`,
			text(PLOT.left - 8, gy + 4, (10 ** decade).toLocaleString('en'), 'end'),
		);
	}
	for (const latencyMs of latencies) {
		parts.push(text(x(latencyMs), PLOT.bottom + 20, `${latencyMs} ms`));
	}
	parts.push(
		text((PLOT.left + PLOT.right) / 2, PLOT.bottom + 44, 'the API answers after'),
		`<g transform="rotate(-90)">${text(-(PLOT.top + PLOT.bottom) / 2, 18, 'allocations per second (log scale)')}</g>`,
	);
	series.forEach(({ label, points }, index) => {
		const colour = COLOURS[index % COLOURS.length];
		const path = points.map((p) => `${x(p.latencyMs).toFixed(1)},${y(p.perSecond).toFixed(1)}`);
		parts.push(
			`<polyline points="${path.join(' ')}" fill="none" stroke="${colour}" stroke-width="2.5"/>`,
			...points.map(
				(p) =>
					`<circle cx="${x(p.latencyMs).toFixed(1)}" cy="${y(p.perSecond).toFixed(1)}" r="4" fill="${colour}"/>`,
			),
			`<rect x="${PLOT.right + 30}" y="${PLOT.top + index * 24}" width="14" height="14" fill="${colour}"/>`,
			text(PLOT.right + 52, PLOT.top + index * 24 + 11, label, 'start'),
		);
	});
	parts.push('</svg>');
	return parts.join('\n') + '\n';
}

/** @param {string} body */
function escape(body) {
	return body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

module.exports = { chartSvg };
