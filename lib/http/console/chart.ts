/** A series drawn as inline SVG on the server: no script, and a text alternative beside it (docs/operator-guide.md#operator-console). */
export type Chart = { svg: string; peak: number; total: number };

const W = 720;
const H = 120;

/** One line over the minutes of the last 24 hours (right to left on a right-to-left page); `budget` adds a dashed line at that height (the SMS budget per minute). */
export function lineChart(series: number[], label: string, budget?: number, rtl = false): Chart {
  const values = rtl ? [...series].reverse() : series;
  const peak = Math.max(0, ...values);
  const top = Math.max(1, peak, budget ?? 0);
  const x = (i: number) => ((i / Math.max(1, values.length - 1)) * W).toFixed(1);
  const y = (v: number) => (H - (v / top) * (H - 4) - 2).toFixed(1);
  const points = values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  const esc = label.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const budgetLine = budget === undefined ? '' : `<line x1="0" x2="${W}" y1="${y(budget)}" y2="${y(budget)}" class="chart-budget" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="6 4" vector-effect="non-scaling-stroke"/>`;
  const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc}" focusable="false">`
    + `<title>${esc}</title><rect x="0" y="0" width="${W}" height="${H}" class="chart-ground" fill="#f4f6f8"/>${budgetLine}`
    + `<polyline points="${points}" class="chart-line" fill="none" stroke="#1f5fbf" stroke-width="1.5" vector-effect="non-scaling-stroke"/></svg>`;
  return { svg, peak, total: values.reduce((a, b) => a + b, 0) };
}
