import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

type MigrationFile = { file: string; path: string };

const MIGRATION = /^\d{14}_[a-z0-9_]+\.(ts|js)$/;

/**
 * The migrations of a folder, each named as its TypeScript source (`…_create_payments.ts`) whether it
 * runs from `migrations/*.ts` (`npm start`, through tsx) or compiled from `dist/migrations/*.js`
 * (`npm run start:dist`). knex_migrations records these names: with knex's own listing, a database
 * migrated by one looked "corrupt" to the other, which refused to start.
 */
export class MigrationFolder implements Knex.MigrationSource<MigrationFile> {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<MigrationFile[]> {
    const byName = new Map<string, MigrationFile>();
    for (const file of readdirSync(this.directory).filter((f) => MIGRATION.test(f)).sort()) {
      const name = file.replace(/\.js$/, '.ts');
      // a folder holding both (a build next to its sources) runs the source
      if (!byName.has(name) || file.endsWith('.ts')) byName.set(name, { file: name, path: path.join(this.directory, file) });
    }
    return [...byName.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.file;
  }

  async getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    return import(pathToFileURL(migration.path).href);
  }
}
