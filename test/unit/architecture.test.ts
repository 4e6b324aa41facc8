import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const LIB = path.resolve('lib');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

type Import = { from: string; to: string; typeOnly: boolean };

/** Every relative import of lib/, resolved to a file, marked when it brings types only (erased at run time). */
function importsOf(file: string): Import[] {
  const source = readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of source.matchAll(/^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'(\.[^']+)'/gms)) {
    const [, , typeKeyword, clause, spec] = m;
    const names = /\{([^}]*)\}/.exec(clause!)?.[1]?.split(',').map((n) => n.trim()).filter(Boolean) ?? [];
    const allTyped = names.length > 0 && !/^[\w*]/.test(clause!.replace(/\{[^}]*\}/, '').trim()) && names.every((n) => n.startsWith('type '));
    const to = path.resolve(path.dirname(file), spec!).replace(/\.js$/, '.ts');
    found.push({ from: file, to, typeOnly: !!typeKeyword || allTyped });
  }
  return found;
}

const rel = (file: string) => path.relative(LIB, file);
const folderOf = (file: string) => rel(file).split(path.sep)[0]!.replace(/\.ts$/, '');
const files = filesUnder(LIB);
const imports = files.flatMap(importsOf);

/**
 * The architecture, as rules a new file cannot break unnoticed (docs/architecture.md):
 * routers, admin operations, jobs, SMS adapters, notify and presenters reach the database only through use-cases.
 */
describe('the architecture, read from the import graph', () => {
  it('reaches the store only from use-cases and the ledger: no edge (http, admin, jobs, sms, notify, presenters, schemas) imports lib/store, not even a type', () => {
    const offenders = imports.filter((i) => rel(i.to).startsWith('store/') && !/^(store|use-cases|ledger)\//.test(rel(i.from))).map((i) => `${rel(i.from)} → ${rel(i.to)}`);
    assert.deepEqual(offenders, []);
  });

  it('shapes webhook and alert bodies in notify/, not in use-cases: no use-case imports lib/presenters', () => {
    assert.deepEqual(imports.filter((i) => rel(i.from).startsWith('use-cases/') && rel(i.to).startsWith('presenters/')).map((i) => `${rel(i.from)} → ${rel(i.to)}`), []);
  });

  it('has no cycle of imports between the files of lib/ (type-only imports included)', () => {
    const edges = new Map<string, string[]>();
    for (const i of imports) edges.set(rel(i.from), [...(edges.get(rel(i.from)) ?? []), rel(i.to)]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'open') return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      if (state.get(node) === 'done') return;
      state.set(node, 'open');
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of edges.keys()) visit(node, []);
    assert.deepEqual(cycles, []);
  });

  it('keeps the domain pure: it imports only itself, the language catalogues and libraries of pure computation', () => {
    const domainFiles = files.filter((f) => rel(f).startsWith('domain/'));
    const outside = imports.filter((i) => rel(i.from).startsWith('domain/') && !/^(domain|i18n)\//.test(rel(i.to))).map((i) => `${rel(i.from)} → ${rel(i.to)}`);
    assert.deepEqual(outside, []);
    const packages = domainFiles.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/from '([^.][^']*)'/g)].map((m) => `${rel(f)}: ${m[1]}`));
    // pure computation only: hashing, IP address and phone number rules, HOTP, the issue types of zod
    // (for wording its errors); never a database, a socket or a file
    const pure = ['node:crypto', 'ipaddr.js', 'otplib', 'libphonenumber-js/max', 'zod'];
    assert.deepEqual(packages.filter((p) => !pure.some((name) => p.endsWith(`: ${name}`))), []);
  });

  it('has no cycle between the folders of lib/', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) {
      const [a, b] = [folderOf(i.from), folderOf(i.to)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    assert.deepEqual([...new Set(cycles)], []);
  });

  it('keeps lib/postgres a tool: no business SQL reaches into it from above, and it imports nothing of the business', () => {
    const upward = imports.filter((i) => rel(i.from).startsWith('postgres/') && !/^(postgres\/|domain\/|config\.ts$)/.test(rel(i.to))).map((i) => `${rel(i.from)} → ${rel(i.to)}`);
    assert.deepEqual(upward, []);
  });

  it('groups the use-cases by what they act on: no use-case file stands loose in lib/use-cases', () => {
    const loose = files.filter((f) => path.dirname(rel(f)) === 'use-cases').map(rel);
    assert.deepEqual(loose, []);
  });

  it('keeps input rules out of the HTTP layer (lib/schemas imports no lib/http) and routers (the *routes.ts files) short (≤ 60 lines a function)', () => {
    assert.deepEqual(imports.filter((i) => rel(i.from).startsWith('schemas/') && rel(i.to).startsWith('http/')).map((i) => rel(i.from)), []);
    const long: string[] = [];
    for (const file of files.filter((f) => rel(f).startsWith('http/') && /routes\.ts$/.test(f))) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, start) => {
        if (!/^(export )?(async )?function /.test(line)) return;
        const end = lines.findIndex((l, i) => i > start && l === '}');
        if (end - start + 1 > 60) long.push(`${rel(file)}:${start + 1} (${end - start + 1} lines)`);
      });
    }
    assert.deepEqual(long, []);
  });
});
