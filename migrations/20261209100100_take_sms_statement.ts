import type { Knex } from 'knex';

/**
 * The outbox's SMS, taken for its send in one statement (docs/architecture.md#money-statements, the receipt's delivery): the message
 * row claimed, then the service's SMS budget hit (counters last, as in every money statement). A refused hit undoes the claim and
 * still counts, so the receipt waits for its next try; a message of which something went out already is never taken again.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- §16 receipts count against SMS_BUDGET_PER_MINUTE only; the shared test phones (p_free, of test mode) send nothing out and spend none
    create function tp_take_sms(p_id text, p_at timestamptz, p_hits jsonb, p_free text[])
    returns table (outcome text, sms jsonb) language plpgsql as $$
    declare m sms_messages;
    begin
      select * into m from sms_messages where id = p_id;
      if not found then return query select 'missing', null::jsonb; return; end if;
      begin
        -- at most once: only a message of which nothing went out is taken, and 'unknown' until its gateway answers
        update sms_messages set status = 'unknown', updated_at = p_at where id = p_id and (status = 'queued' or (status = 'failed' and gateway is null));
        if not found then return query select 'gone', to_jsonb(m); return; end if;
        if not (m.mode = 'test' and m.phone = any(p_free)) then perform tp_count_hits(p_hits); end if;
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p_hits, sqlerrm);
        return query select 'rate_limited', to_jsonb(m); return;
      end;
      return query select 'taken', to_jsonb(m);
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function tp_take_sms(text, timestamptz, jsonb, text[])');
}
