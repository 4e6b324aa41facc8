import type { Knex } from 'knex';

/**
 * Issue 37: a create with a phone is one statement, tp_create (docs/architecture.md#money-statements); the send limits, the code's
 * writes and the payer's wallet rule it uses are the same functions every other path calls (send-code, pay links, /me sign-in).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- docs/buyer-guide.md#freeze-i-lost-my-phone: the wallet a payment would debit; a frozen one is refused (no code, no payment)
    create function tp_payer_wallet(p_phone text, p_currency text, p_mode text)
    returns table (purse text, holder_id text, refusal text) language sql stable as $$
      select w.purse, w.holder_id, case when w.status = 'frozen' then 'wallet_frozen' end
      from wallets w where w.phone = p_phone and w.currency = p_currency and w.mode = p_mode
    $$;

    -- docs/merchant-guide.md#codes-and-sms and #abuse-limits: may one more SMS go to this phone (a code, a pay link, a /me sign-in
    -- code)? Under the phone's lock, held to the caller's commit. Failed sends do not count; the operator's lift resets the past.
    create function tp_send_verdict(p_payment_id text, p_phone text, p_mode text, p_now timestamptz, p_limits jsonb, p_shared boolean)
    returns table (verdict text, retry_after int, codes_of_payment int) language plpgsql as $$
    declare lifted timestamptz; codes int; sends timestamptz[]; wrongs timestamptz[];
            per_day int := (p_limits ->> 'per_phone_day')::int; per_hour int := (p_limits ->> 'per_phone_hour')::int;
    begin
      perform pg_advisory_xact_lock(hashtextextended('phone:' || p_mode || ':' || p_phone, 0));
      lifted := coalesce((select lifted_at from limit_lifts where phone = p_phone and mode = p_mode), '-infinity');
      select count(*) into codes from payment_codes where payment_id = p_payment_id and delivery <> 'failed';
      -- the shared test phones answer every test merchant: only the per-payment cap applies to them
      wrongs := case when p_shared then '{}' else array(select at from phone_wrong_tries
        where phone = p_phone and mode = p_mode and at > greatest(p_now - interval '24 hours', lifted) order by at) end;
      sends := case when p_shared then '{}' else array(select at from (
          select sent_at as at from payment_codes where phone = p_phone and mode = p_mode and sent_at > greatest(p_now - interval '1 hour', lifted) and delivery <> 'failed'
          union all
          select created_at from sms_messages where phone = p_phone and mode = p_mode and kind in ('link', 'sign_in')
            and created_at > greatest(p_now - interval '1 hour', lifted) and (status <> 'failed' or gateway is not null)) s order by at) end;
      if cardinality(wrongs) >= per_day then
        return query select 'phone_locked', tp_seconds_until(wrongs[cardinality(wrongs) - per_day + 1] + interval '24 hours', p_now), codes; return;
      end if;
      if codes >= (p_limits ->> 'per_payment')::int then return query select 'payment_limit', null::int, codes; return; end if;
      if cardinality(sends) >= per_hour then
        return query select 'phone_limit', tp_seconds_until(sends[cardinality(sends) - per_hour + 1] + interval '1 hour', p_now), codes; return;
      end if;
      return query select 'ok', null::int, codes;
    end $$;

    -- a wait in whole seconds, at least one (a Retry-After of 0 would invite an instant retry)
    create function tp_seconds_until(p_until timestamptz, p_now timestamptz) returns int language sql immutable as $$
      select greatest(1, ceil(extract(epoch from (p_until - p_now))))::int
    $$;

    -- docs/merchant-guide.md#codes-and-sms: a new code kills the live one; its SMS row and the payment's new state come with it
    create function tp_issue_code(p jsonb) returns table (code_id bigint, seq int) language plpgsql as $$
    declare c jsonb := p -> 'code'; s jsonb := p -> 'sms'; u jsonb := p -> 'update'; new_id bigint; new_seq int;
    begin
      update payment_codes set status = 'dead' where payment_id = c ->> 'payment_id' and status = 'live';
      insert into payment_codes (payment_id, seq, phone, mode, counter, sent_at, expires_at, status, secret_id, code_hash)
        values (c ->> 'payment_id', coalesce((select max(pc.seq) from payment_codes pc where pc.payment_id = c ->> 'payment_id'), 0) + 1, c ->> 'phone', c ->> 'mode',
                (c ->> 'counter')::bigint, (c ->> 'sent_at')::timestamptz, (c ->> 'expires_at')::timestamptz, 'live', c ->> 'secret_id', c ->> 'code_hash')
        returning id, payment_codes.seq into new_id, new_seq;
      insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, channel, phone, text_redacted, lang, status, created_at, updated_at)
        values (s ->> 'id', s ->> 'merchant_id', c ->> 'payment_id', new_id, c ->> 'mode', 'code', 'sms', c ->> 'phone', s ->> 'text_redacted', s ->> 'lang', 'queued',
                (c ->> 'sent_at')::timestamptz, (c ->> 'sent_at')::timestamptz);
      update payments set status = 'code_sent', phone = c ->> 'phone', payer_purse = u ->> 'payer_purse', payer_wm = u ->> 'payer_wm',
          prerequest_at = coalesce((u ->> 'prerequest_at')::timestamptz, prerequest_at), prerequest_phone = coalesce(u ->> 'prerequest_phone', prerequest_phone),
          unknown_phone = null, updated_at = (c ->> 'sent_at')::timestamptz
        where id = c ->> 'payment_id';
      return query select new_id, new_seq;
    end $$;

    -- a new payment; nothing when its id, Idempotency-Key or open order number is taken (the service then resumes or refuses)
    create function tp_insert_payment(r jsonb) returns bigint language sql as $$
      insert into payments (id, merchant_id, shop_id, payee_purse, currency, mode, amount, status, payment_no, description, source, create_key,
        phone, payer_purse, payer_wm, capture_mode, result_url, success_url, fail_url, success_method, fail_method, custom_fields, metadata, sim_mode, lang,
        created_at, updated_at, expires_at, browser_hash, buyer_email)
      values (r ->> 'id', r ->> 'merchant_id', r ->> 'shop_id', r ->> 'payee_purse', r ->> 'currency', r ->> 'mode', (r ->> 'amount')::bigint, r ->> 'status',
        (r ->> 'payment_no')::bigint, r ->> 'description', r ->> 'source', r ->> 'create_key', r ->> 'phone', r ->> 'payer_purse', r ->> 'payer_wm',
        r ->> 'capture_mode', r ->> 'result_url', r ->> 'success_url', r ->> 'fail_url', r ->> 'success_method', r ->> 'fail_method', r -> 'custom_fields',
        r -> 'metadata', (r ->> 'sim_mode')::smallint, r ->> 'lang', (r ->> 'created_at')::timestamptz, (r ->> 'updated_at')::timestamptz,
        (r ->> 'expires_at')::timestamptz, r ->> 'browser_hash', r ->> 'buyer_email')
      on conflict do nothing returning invoice_no
    $$;

    -- §4 and §5.1 create with a phone, whole: the work, then the counters (the API key's, the number range's, the service's SMS
    -- budget), whatever the work answered; a refused hit undoes the work and still counts (§14)
    create function tp_create(p jsonb)
    returns table (outcome text, limit_name text, retry_after int, codes_of_payment int, invoice_no bigint, code_id bigint, code_seq int) language plpgsql as $$
    declare r record;
    begin
      begin
        select * into r from tp_create_work(p);
        perform tp_count_hits(p -> 'hits');
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p -> 'hits', sqlerrm);
        return query select 'rate_limited', sqlerrm, null::int, null::int, null::bigint, null::bigint, null::int; return;
      end;
      return query select r.outcome, r.limit_name, r.retry_after, r.codes_of_payment, r.invoice_no, r.code_id, r.code_seq;
    end $$;

    -- §4 and §5.1: the payer's wallet, the send limits, the payment, its code (or the pre-request first)
    create function tp_create_work(p jsonb)
    returns table (outcome text, limit_name text, retry_after int, codes_of_payment int, invoice_no bigint, code_id bigint, code_seq int) language plpgsql as $$
    declare r jsonb := p -> 'payment'; w record; v record; inv bigint; c record;
    begin
      -- a phone with no wallet, or a frozen one, creates nothing: the merchant hears why and may try another phone
      select * into w from tp_payer_wallet(r ->> 'phone', r ->> 'currency', r ->> 'mode');
      if not found then return query select 'no_wallet', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      if w.refusal is not null then return query select w.refusal, null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      if w.purse is distinct from r ->> 'payer_purse' or w.holder_id is distinct from r ->> 'payer_wm' then
        return query select 'stale', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return;
      end if;
      if not (p ->> 'prerequest')::boolean then
        select * into v from tp_send_verdict(r ->> 'id', r ->> 'phone', r ->> 'mode', (r ->> 'created_at')::timestamptz, p -> 'limits', false);
        if v.verdict <> 'ok' then return query select v.verdict, null::text, v.retry_after, v.codes_of_payment, null::bigint, null::bigint, null::int; return; end if;
      end if;
      inv := tp_insert_payment(r);
      if inv is null then return query select 'conflict', null::text, null::int, null::int, null::bigint, null::bigint, null::int; return; end if;
      -- docs/merchant-guide.md#the-result-notification: the merchant is asked before any code goes out
      if (p ->> 'prerequest')::boolean then return query select 'prerequest', null::text, null::int, 0, inv, null::bigint, null::int; return; end if;
      select * into c from tp_issue_code(p -> 'issue');
      return query select 'code_sent', null::text, null::int, v.codes_of_payment, inv, c.code_id, c.seq;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function tp_create(jsonb);
    drop function tp_create_work(jsonb);
    drop function tp_insert_payment(jsonb);
    drop function tp_issue_code(jsonb);
    drop function tp_send_verdict(text, text, text, timestamptz, jsonb, boolean);
    drop function tp_seconds_until(timestamptz, timestamptz);
    drop function tp_payer_wallet(text, text, text);
  `);
}
