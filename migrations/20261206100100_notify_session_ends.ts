import type { Knex } from 'knex';

// Spec §12: an open /office/events stream ends with its session. A session ends by its row going
// (sign-out, a disabled user, a changed password, the purge of idle ones), on whichever instance or
// tool did it: every instance LISTENs (beside tp_payments) and ends the streams of that session.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function notify_session_end() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tp_sessions', old.token_hash);
      return null;
    end $$;
    create trigger office_sessions_notify_delete after delete on office_sessions for each row execute function notify_session_end();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger office_sessions_notify_delete on office_sessions;
    drop function notify_session_end();
  `);
}
