import { open } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import type { PayDeps } from '../use-cases/shared/deps.js';
import * as ops from '../admin/vouchers.js';
import { parseInput } from '../schemas/parse.js';
import { createVouchersBody, listVouchersQuery, voucherIdParam } from '../schemas/vouchers.js';
import { AppError } from '../domain/errors.js';
import { formatAmount } from '../domain/money.js';
import { progressReporter } from './progress.js';

type Answer = { created: boolean; body: Record<string, unknown> };
type VoucherCommand = { usage: string; summary: string; options?: ParseArgsConfig['options']; run(deps: PayDeps, values: Record<string, unknown>, positionals: string[]): Promise<Answer> };

/** The CLI's half of docs/operator-guide.md#vouchers-and-cash-in: the codes go to a file only its owner reads, never to stdout. */
export const VOUCHER_COMMANDS: Record<string, VoucherCommand> = {
  'vouchers:create': {
    usage: 'vouchers:create --currency USD --amount 10.00 --count 100 --csv FILE [--expires-at 2027-06-30T00:00:00Z] [--mode live|test]',
    summary: 'issue a batch of vouchers; their codes are written to FILE (a new file, mode 0600: id,code,amount,currency,expires_at), none printed',
    options: { currency: { type: 'string' }, amount: { type: 'string' }, count: { type: 'string' }, csv: { type: 'string' }, 'expires-at': { type: 'string' }, mode: { type: 'string' } },
    run: async (deps, v) => {
      const body = parseInput(createVouchersBody, {
        currency: v.currency, amount: v.amount, count: v.count === undefined ? undefined : Number(v.count), expires_at: v['expires-at'], mode: v.mode,
      }, 'options');
      if (typeof v.csv !== 'string' || !v.csv) throw new AppError('invalid_request', '--csv FILE is required: the codes are written there, never printed');
      // made before the batch, so a path we cannot write issues nothing; 'wx': an existing file is never overwritten
      const file = await open(v.csv, 'wx', 0o600).catch((err: NodeJS.ErrnoException) => {
        throw new AppError('invalid_request', `--csv ${v.csv}: ${err.code === 'EEXIST' ? 'the file exists already' : err.message}`);
      });
      const progress = progressReporter('vouchers:create');
      try {
        const { batch } = await ops.adminCreateVouchers(deps, body, undefined, (done, total) => progress.update(done, total));
        const lines = batch.vouchers.map(({ voucher, code }) => [voucher.id, code, formatAmount(voucher.amount), voucher.currency, voucher.expiresAt?.toISOString() ?? ''].join(','));
        await file.writeFile(`id,code,amount,currency,expires_at\n${lines.join('\n')}\n`);
        progress.finish(`${batch.vouchers.length} vouchers of ${body.currency}, codes in ${v.csv}`);
        return { created: true, body: { batch_id: batch.batchId, count: batch.vouchers.length, currency: body.currency, mode: body.mode, csv: v.csv } };
      } finally {
        await file.close();
      }
    },
  },
  'vouchers:list': {
    usage: 'vouchers:list [--batch-id vbt_…] [--status active|redeemed|expired|void] [--limit 20] [--cursor vch_…]',
    summary: 'the vouchers (never their codes), by id, a page at a time',
    options: { 'batch-id': { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    run: (deps, v) => ops.adminListVouchers(deps, parseInput(listVouchersQuery, { batch_id: v['batch-id'], status: v.status, limit: v.limit, cursor: v.cursor }, 'options')),
  },
  'vouchers:void': {
    usage: 'vouchers:void VOUCHER_ID',
    summary: 'void an active voucher: its money goes back from the float to issuance',
    run: (deps, _v, [id]) => ops.adminVoidVoucher(deps, parseInput(voucherIdParam, id, 'voucher id')),
  },
};
