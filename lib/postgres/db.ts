import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { MigrationFolder } from './migration-source.js';

// int8 (money, counts, sequence numbers) as bigint: never a lossy JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => BigInt(v));

/** Any handle a store function can run on, so the caller decides the transaction. */
export type Db = Knex | Knex.Transaction;
export type { Knex };

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

type KnexLog = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void; debug(obj: object, msg: string): void };

export function connect(url: string, poolMax = 10, log?: KnexLog): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'telepurse' },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: 10_000,
    ...(log && {
      log: {
        warn: (message: unknown) => log.warn({ knex: String(message) }, 'database warning'),
        error: (message: unknown) => log.error({ knex: String(message) }, 'database error'),
        debug: (message: unknown) => log.debug({ knex: String(message) }, 'database debug'),
        deprecate: (message: unknown) => log.warn({ knex: String(message) }, 'database deprecation'),
      },
    }),
  });
}

/** The migrations by their source names, from `migrations/` or `dist/migrations/` alike (see MigrationFolder). */
export const migratorConfig: Knex.MigratorConfig = { migrationSource: new MigrationFolder(MIGRATIONS_DIR) };

// any constant: the advisory lock that lets one process at a time migrate a database
const MIGRATION_LOCK = 73_160_001;

/**
 * Brings the schema up to date. Instances started together (a deploy, a new database) queue on an
 * advisory lock held by a session of its own: the first migrates, the others then find nothing to
 * do. Alone, knex failed them instead ("knex_migrations already exists", or "Migration table is
 * already locked"). PostgreSQL frees a session lock when its holder dies, so a migrator killed
 * midway blocks nobody; knex's own lock row, which such a death leaves set, is cleared first, since
 * while this lock is held no one else is migrating.
 */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const holder = new pg.Client(db.client.config.connection as pg.ClientConfig);
  holder.on('error', () => {}); // a lost session only loses the lock; the migration's own connection reports its errors
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.migrate.forceFreeMigrationsLock(migratorConfig);
    const [, applied] = (await db.migrate.latest(migratorConfig)) as [number, string[]];
    return applied;
  } finally {
    await holder.end(); // ends the session, and with it the lock
  }
}

export async function migrateRollbackAll(db: Knex): Promise<void> {
  await db.migrate.rollback(migratorConfig, true);
}

/**
 * The database answers, and takes writes: a former primary that a failover turned into a standby
 * (reached through a pooled connection) answers `select 1` but cannot take a payment.
 */
export async function ping(db: Db, timeoutMs = 2000): Promise<void> {
  const answer = await Promise.race([
    db.raw<{ rows: { standby: boolean }[] }>('select pg_is_in_recovery() as standby'),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), timeoutMs).unref()),
  ]);
  if (answer.rows[0]?.standby) throw new Error('the database is a standby (read-only)');
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `work` in one transaction, again (a bounded number of times) when PostgreSQL aborts it for
 * a serialization failure or a deadlock: such a transaction changed nothing and is safe to repeat.
 */
export async function inTransaction<T>(db: Knex, work: (trx: Knex.Transaction) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && (!constraint || e.constraint === constraint);
}

export type SqlParam = string | number | bigint | boolean | Date | null | readonly string[] | Buffer;

const statementNames = new Map<string, string>();

/** A name per distinct SQL text: pg then parses and plans it once per connection, not on every call. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `tp_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

/** The one way store code runs SQL: positional `?` parameters (bigint included), typed rows back, as a prepared statement. */
export async function query<T = Record<string, unknown>>(db: Db, sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
  // knex's typings predate bigint; pg sends it as its decimal text, which is exact.
  const result = await db.raw(sql, params as unknown as Knex.RawBinding[]).options({ name: statementName(sql) });
  return result.rows as T[];
}

export async function queryOne<T = Record<string, unknown>>(db: Db, sql: string, params: readonly SqlParam[] = []): Promise<T | undefined> {
  return (await query<T>(db, sql, params))[0];
}

/**
 * Several reads in one round trip (issue 37): the simple protocol carries many statements in one message, but no parameters.
 * So every value is given as a literal here (`{{name}}` in the SQL), refused unless it is of `[0-9A-Za-z_+]` only (ids, purses, phones), which needs no quoting.
 */
export async function readMany<T extends Record<string, unknown>[][]>(db: Db, statements: string[], literals: Record<string, string>): Promise<T> {
  for (const [name, value] of Object.entries(literals)) if (!/^[0-9A-Za-z_+]+$/.test(value)) throw new Error(`readMany: ${name} is not an id`);
  const sql = statements.map((s) => s.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in literals)) throw new Error(`readMany: no value for {{${name}}}`);
    return `'${literals[name]}'`;
  })).join(';\n');
  try {
    const results = await db.raw(sql);
    return (results as { rows: Record<string, unknown>[] }[]).map((r) => r.rows) as T;
  } catch (err) {
    // knex puts the SQL into an error's message, and so into logs: the values (a phone among them) come out of it first
    if (err instanceof Error) {
      for (const value of Object.values(literals)) {
        err.message = err.message.split(value).join('…');
        err.stack = err.stack?.split(value).join('…');
      }
    }
    throw err;
  }
}
