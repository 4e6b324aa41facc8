import type { AppContext } from '../shared/context.js';
import type { Mode } from '../../domain/ledger.js';

/** The data the office shows: test with `?mode=test`, live otherwise; a test merchant has test data only (docs/merchant-guide.md#test-mode). */
export function officeMode(ctx: AppContext, accountMode: Mode): Mode {
  return ctx.query.mode === 'test' || accountMode === 'test' ? 'test' : 'live';
}

/** The mode the office pages show (live before the guard has run). */
export function shownMode(ctx: AppContext): Mode {
  return ctx.state.office?.mode ?? 'live';
}

/** An office link or form action that stays in test mode when the page shows a live merchant's test data (the switch link alone leaves it). */
export function keepMode(ctx: AppContext, href: string): string {
  const office = ctx.state.office;
  if (office?.mode !== 'test' || office.accountMode === 'test') return href;
  return `${href}${href.includes('?') ? '&' : '?'}mode=test`;
}

/** The layout's banner and switch link: the same page (its GET address, pagePath) and query, in the other mode; a test merchant has nothing to switch to. */
export function modeSwitch(ctx: AppContext, pagePath: string): { on: boolean; href: string | null } | undefined {
  const office = ctx.state.office;
  if (!office?.mode) return undefined;
  const params = new URLSearchParams(Object.entries(ctx.query).filter(([k, v]) => typeof v === 'string' && k !== 'mode' && k !== 'cursor' && k !== 'lang') as [string, string][]);
  if (office.mode === 'live') params.set('mode', 'test');
  const query = params.toString();
  // a payment (payout) is of one mode: its page switches to the journal (balance) of the other
  const path = pagePath.startsWith('/office/payments/') ? '/office/payments' : pagePath.startsWith('/office/payouts/') ? '/office/balance' : pagePath;
  return { on: office.mode === 'test', href: office.accountMode === 'test' ? null : `${path}${query ? `?${query}` : ''}` };
}
