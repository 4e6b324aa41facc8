import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorOf, sectionsOf } from '../../lib/http/docs/guide-pages.js';
import { GUIDES } from '../../lib/http/docs/guides.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(path.join(ROOT, file)).isDirectory() ? filesUnder(file) : /\.(ts|eta)$/.test(name) ? [file] : [];
  });
const anchorsOf = (markdown: string) => new Set([...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!.replace(/`/g, ''))));

/** The contract is written once, in docs/: code cites its sections, and a citation must lead somewhere. */
describe('the docs the code cites', () => {
  const code = [...filesUnder('lib'), ...filesUnder('test'), ...filesUnder('tools'), ...filesUnder('bench')];

  it('cites docs sections, never the spec file outside the repository', () => {
    const offenders = code.filter((file) => /§\d/.test(read(file)));
    assert.deepEqual(offenders, []);
  });

  it('every docs/*.md#anchor cited in lib/, test/, tools/ and bench/ is a heading of that file', () => {
    const missing: string[] = [];
    for (const file of code) {
      for (const [, doc, anchor] of read(file).matchAll(/docs\/([\w-]+\.md)#([\w-]+)/g)) {
        if (!anchorsOf(read(`docs/${doc}`)).has(anchor!)) missing.push(`${file}: docs/${doc}#${anchor}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('every guide of /docs names sections the merchant guide has', () => {
    const sections = sectionsOf(read('docs/merchant-guide.md'));
    assert.deepEqual(GUIDES.flatMap((g) => g.sections.filter((s) => !sections.has(s)).map((s) => `${g.slug}: ${s}`)), []);
  });
});
