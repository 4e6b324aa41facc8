import { stringify } from 'csv-stringify/sync';
import type { AppContext } from './context.js';

/**
 * Answers an RFC 4180 CSV (CRLF line ends, quotes where needed) in UTF-8 as a download. Cells a
 * spreadsheet would run as a formula (=, +, -, @ at the start of text) get a leading apostrophe,
 * except plain numbers such as a negative amount or a phone in E.164.
 */
export function sendCsv(ctx: AppContext, filename: string, header: readonly string[], rows: string[][]): void {
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
  ctx.body = csvText(header, rows);
}

/** The same CSV as text (the console's voucher codes travel inside their one page, never as a download of their own). */
export function csvText(header: readonly string[], rows: string[][]): string {
  return stringify([[...header], ...rows.map((r) => r.map(defuse))], { record_delimiter: '\r\n' });
}

export function defuse(cell: string): string {
  // plain signed numbers and phones (+79031234567) are data, not formulas
  if (/^[+-]?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
