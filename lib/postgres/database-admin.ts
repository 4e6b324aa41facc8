import pg from 'pg';

/** Creates `name` on the server of `serverUrl` when missing; returns the URL of that database. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  const client = adminClient(serverUrl);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl, name);
}

export function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createDatabaseFromTemplate(serverUrl: string, name: string, template: string): Promise<void> {
  await adminQuery(serverUrl, `create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = adminClient(serverUrl);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A short-lived session of its own: a server that ends it (57P01 at shutdown) fails the awaited query, never raises an unhandled 'error'. */
function adminClient(serverUrl: string): pg.Client {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => {});
  return client;
}
