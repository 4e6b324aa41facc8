import assert from 'node:assert/strict';
import { lineChart } from '../../lib/http/console/chart.js';

/** docs/operator-guide.md#operator-console: the overview's 24 hours drawn on the server as inline SVG, with a text alternative. */
describe('console line chart', () => {
  it('draws one point per minute, names itself for screen readers (escaped), and sums what it shows', () => {
    const chart = lineChart([0, 2, 5, 1], 'Payments <per> minute & "more"');
    assert.match(chart.svg, /^<svg [^>]*role="img" aria-label="Payments &#60;per&#62; minute &#38; &#34;more&#34;"/);
    assert.match(chart.svg, /<title>Payments &#60;per&#62;/);
    assert.equal((/points="([^"]+)"/.exec(chart.svg)![1]!).split(' ').length, 4);
    assert.deepEqual([chart.total, chart.peak], [8, 5]);
    assert.doesNotMatch(chart.svg, /chart-budget/);
  });

  it('draws the budget as a dashed line, and runs right to left on a right-to-left page', () => {
    const ltr = lineChart([1, 0, 0, 0], 'SMS', 10);
    assert.match(ltr.svg, /class="chart-budget"[^>]*stroke-dasharray/);
    const points = (svg: string) => (/points="([^"]+)"/.exec(svg)![1]!).split(' ').map((p) => p.split(',').map(Number));
    const rtl = lineChart([1, 0, 0, 0], 'SMS', 10, true);
    assert.ok(points(ltr.svg)[0]![1]! < points(ltr.svg)[3]![1]!, 'the oldest minute (the one with a message) starts on the left');
    assert.ok(points(rtl.svg)[3]![1]! < points(rtl.svg)[0]![1]!, 'and on the right in Arabic');
  });
});
