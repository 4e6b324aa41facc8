import type { Knex } from '../store/db.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

/** What every use-case may reach: plain values built once in app.ts. */
export type Deps = { db: Knex; clock: Clock; config: Config; log: Logger };
