import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// test/helpers/payments.ts offers payNow, walletOf/walletBalance and assertLedgerClean: no test file writes its own
const TESTS = ['test/integration', 'test/e2e', 'test/torture', 'test/failover'].map((d) => path.resolve(d));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const files = TESTS.flatMap(filesUnder).map((file) => ({ file: path.relative(process.cwd(), file), source: readFileSync(file, 'utf8') }));
const SPEC = files.filter((f) => f.file.endsWith('.test.ts'));

/** The text of the function defined at `start`: to its closing brace, or its line when it is a one-line arrow. */
function bodyAt(source: string, start: number): string {
  const text = source.slice(start, start + 1200);
  const firstLine = text.split('\n')[0]!;
  if (!firstLine.trimEnd().endsWith('{')) return firstLine;
  return text.split(/\n {0,6}\}\)?;?\n/)[0]!;
}

/** Where a test file does these things by hand on purpose, and why. */
const ALLOWED: Record<string, string> = {
  'test/integration/capture.test.ts authorize': "returns the confirm step's own answer, a refusal included",
  'test/integration/admin-api.test.ts ledger': 'the ledger check endpoint is what it tests (its counts too)',
};

describe('the shared test helpers are used, not rewritten', () => {
  it('no test file defines its own create-then-confirm helper (use payNow)', () => {
    const found: string[] = [];
    for (const { file, source } of SPEC) {
      for (const m of source.matchAll(/(?:async function (\w+)\s*\(|const (\w+) = async\b)/g)) {
        const name = m[1] ?? m[2]!;
        const body = bodyAt(source, m.index!);
        if (/\/payments['`]/.test(body) && /\/confirm`, \{ code: lastCode\(/.test(body) && !ALLOWED[`${file} ${name}`]) found.push(`${file}: ${name}`);
      }
    }
    assert.deepEqual(found, []);
  });

  it('no test file asserts the ledger check by hand (use assertLedgerClean)', () => {
    const found = SPEC.filter(({ file }) => !ALLOWED[`${file} ledger`]).flatMap(({ file, source }) =>
      [...source.matchAll(/ledger\/check'\)[^\n]*\n?[^\n]*\.ok, true/g)].map(() => file));
    assert.deepEqual(found, []);
  });

  it("no test file reads a wallet's balance by hand (use walletBalance or walletOf)", () => {
    const found = SPEC.flatMap(({ file, source }) =>
      [...source.matchAll(/\/admin\/v1\/wallets\/\$\{[^}]+\}`\)\)\.body(\.balance| as)/g)].map(() => file));
    assert.deepEqual(found, []);
  });

  it('no test imports bench/ (benchmarks import lib/ and tools/, never the other way)', () => {
    const found = files.filter(({ source }) => /from '(\.\.\/)+bench\//.test(source)).map((f) => f.file);
    assert.deepEqual(found, []);
  });
});
