import type { Minor } from '../../domain/money.js';
import { formatAmount } from '../../domain/money.js';

export type ChartDay = { day: string; sales: Minor; refunds: Minor };

const WIDTH = 600;
const HEIGHT = 160;
const BAR = WIDTH / 30;

/**
 * The overview's chart of the last 30 days' sales and refunds (docs/merchant-guide.md#back-office "Running the shop alone"), drawn on the server
 * as inline SVG: no script, and the days run right to left on a right-to-left page. Values are scaled as bigint ratios.
 */
export function salesChart(days: ChartDay[], rtl: boolean): { bars: { x: number; width: number; salesY: number; salesH: number; refundsY: number; refundsH: number; label: string }[]; width: number; height: number } {
  const max = days.reduce((m, d) => (d.sales > m ? d.sales : d.refunds > m ? d.refunds : m), 1n);
  const scale = (v: Minor) => Number((v * BigInt(HEIGHT - 10) * 100n) / max) / 100;
  const bars = days.map((d, i) => {
    const slot = rtl ? days.length - 1 - i : i;
    const salesH = scale(d.sales);
    const refundsH = scale(d.refunds);
    return {
      x: slot * BAR + 2, width: BAR / 2 - 2, salesY: HEIGHT - salesH, salesH, refundsY: HEIGHT - refundsH, refundsH,
      label: `${d.day}: ${formatAmount(d.sales)} / ${formatAmount(d.refunds)}`,
    };
  });
  return { bars, width: WIDTH, height: HEIGHT };
}
