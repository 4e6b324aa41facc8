import type { Knex } from 'knex';

/**
 * Issue 37: a confirm is one statement, tp_confirm (docs/architecture.md#money-statements). The service brings what the database
 * cannot compute: the typed code's HMAC under each CODE_SECRET, the limits, the status lists of the payment's state table, and the
 * paid state with its outbox rows rendered from one read (checked here against the row's version and the payer's wallet).
 * Outcomes come back as one row; nothing is raised for a buyer's error, so what a refusal counts is committed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- docs/merchant-guide.md#codes-and-sms: the code itself is never kept; its HMAC under CODE_SECRET is, so the database can compare it
    alter table payment_codes add column code_hash text;
    alter table sign_in_codes add column code_hash text;

    -- docs/merchant-guide.md#codes-and-sms: may a code be compared at all? (a payment's code and a /me sign-in code alike)
    create function tp_code_gate(p_status text, p_code_hash text, p_wrong_tries int, p_expires_at timestamptz, p_now timestamptz, p_per_code int)
    returns text language sql immutable as $$
      select case
        -- a code from before code_hash existed cannot be compared: the buyer asks for a new one
        when p_status <> 'live' or p_code_hash is null then 'code_dead'
        -- out of tries is dead even if the failure that follows was never written (the process died in between)
        when p_wrong_tries >= p_per_code then 'too_many'
        when p_expires_at <= p_now then 'code_expired'
      end
    $$;

    -- after a wrong try: the tries left on the code, and whether it is over (the code's tries, or the phone's day)
    create function tp_after_wrong_try(p_wrong_tries int, p_phone_today int, p_limits jsonb, p_shared boolean)
    returns table (verdict text, tries_left int) language sql immutable as $$
      select case when greatest(0, (p_limits ->> 'per_code')::int - p_wrong_tries) = 0
                    -- a shared test phone is never locked for everyone: each client still has its own share
                    or (not p_shared and p_phone_today >= (p_limits ->> 'per_phone_day')::int) then 'too_many' else 'wrong' end,
             greatest(0, (p_limits ->> 'per_code')::int - p_wrong_tries)
    $$;

    -- docs/merchant-guide.md#abuse-limits: a client's wrong codes for a phone today, not before the operator lifted the phone's or the client's limits
    create function tp_client_wrong_today(p_phone text, p_mode text, p_client text, p_now timestamptz) returns int language sql stable as $$
      select count(*)::int from phone_wrong_tries w
      where w.phone = p_phone and w.mode = p_mode and w.client = p_client
        and w.at > greatest(p_now - interval '24 hours', coalesce((select lifted_at from limit_lifts l where l.phone = p_phone and l.mode = p_mode), '-infinity'))
        and w.at > coalesce((select lifted_at from client_limit_lifts l where l.client = p_client), '-infinity')
    $$;

    -- the phone's wrong tries today, payment codes and sign-in codes alike, not before the operator lifted its limits
    create function tp_phone_wrong_today(p_phone text, p_mode text, p_now timestamptz) returns int language sql stable as $$
      select count(*)::int from phone_wrong_tries w where w.phone = p_phone and w.mode = p_mode
        and w.at > greatest(p_now - interval '24 hours', coalesce((select lifted_at from limit_lifts l where l.phone = p_phone and l.mode = p_mode), '-infinity'))
    $$;

    -- §14 the counters a money statement carries (docs/architecture.md#money-statements), hit after its work so that their rows (the
    -- service's SMS budget is one row for every create) are held only to the commit; the first past its maximum raises TP429 with its
    -- name, which undoes the work (tp_confirm, tp_create)
    create function tp_count_hits(p_hits jsonb) returns void language plpgsql as $$
    declare h jsonb;
    begin
      for h in select x from jsonb_array_elements(coalesce(p_hits, '[]')) with ordinality as t (x, i) order by i loop
        if tp_hit(h ->> 'key', (h ->> 'window_start')::timestamptz) > (h ->> 'max')::int then
          raise exception using errcode = 'TP429', message = h ->> 'name';
        end if;
      end loop;
    end $$;

    -- once the work is undone for a refused hit, the hits up to it count again: a refused request counts; the ones after it were never
    -- reached (a number range past its limit spends none of the service's SMS budget)
    create function tp_recount_hits(p_hits jsonb, p_refused text) returns void language plpgsql as $$
    declare h jsonb;
    begin
      for h in select x from jsonb_array_elements(coalesce(p_hits, '[]')) with ordinality as t (x, i) order by i loop
        perform tp_hit(h ->> 'key', (h ->> 'window_start')::timestamptz);
        exit when h ->> 'name' = p_refused;
      end loop;
    end $$;

    -- docs/merchant-guide.md#abuse-limits: one hit on a fixed-window counter shared by every instance; the count includes this hit
    create function tp_hit(p_key text, p_window_start timestamptz) returns int language sql as $$
      insert into rate_counters (key, window_start, hits) values (p_key, p_window_start, 1)
      on conflict (key) do update set
        hits = case when rate_counters.window_start = excluded.window_start then rate_counters.hits + 1 else 1 end,
        window_start = excluded.window_start
      returning hits
    $$;

    -- §8 the outbox: rows written with the state they announce; a taken dedupe key writes nothing, and its SMS row neither
    create function tp_write_outbox(p_plan jsonb) returns text[] language plpgsql as $$
    declare written text[];
    begin
      insert into receipts (payment_id, token_hash, secret_id, created_at)
        select r ->> 'payment_id', r ->> 'token_hash', r ->> 'secret_id', (r ->> 'created_at')::timestamptz
        from (select p_plan -> 'receipt' as r) x where jsonb_typeof(r) = 'object'
        on conflict (payment_id) do nothing;
      with ins as (
        insert into notifications (id, merchant_id, shop_id, payment_id, kind, event_type, url, content_type, body, status, next_attempt_at, created_at, dedupe_key)
        select m ->> 'id', m ->> 'merchant_id', m ->> 'shop_id', m ->> 'payment_id', m ->> 'kind', m ->> 'event_type', m ->> 'url', m ->> 'content_type',
               m ->> 'body', 'pending', (m ->> 'next_attempt_at')::timestamptz, (m ->> 'created_at')::timestamptz, m ->> 'dedupe_key'
        from jsonb_array_elements(coalesce(p_plan -> 'messages', '[]')) with ordinality as t (m, i) order by i
        on conflict (dedupe_key) where dedupe_key is not null do nothing
        returning id)
      select coalesce(array_agg(id), '{}') into written from ins;
      insert into sms_messages (id, merchant_id, payment_id, code_id, mode, kind, channel, template, fallback_of, phone, text_redacted, lang, status, created_at, updated_at)
        select s ->> 'id', s ->> 'merchant_id', s ->> 'payment_id', (s ->> 'code_id')::bigint, s ->> 'mode', s ->> 'kind', s ->> 'channel',
               nullif(s -> 'template', 'null'::jsonb), s ->> 'fallback_of', s ->> 'phone', s ->> 'text_redacted', s ->> 'lang', 'queued',
               (s ->> 'created_at')::timestamptz, (s ->> 'created_at')::timestamptz
        from (select m -> 'sms' as s, m ->> 'id' as notification_id from jsonb_array_elements(coalesce(p_plan -> 'messages', '[]')) m) x
        where jsonb_typeof(s) = 'object' and notification_id = any(written);
      return written;
    end $$;

    -- docs/merchant-guide.md#codes-and-sms and #abuse-limits: may the code be compared, is it right, and what a wrong one costs
    create function tp_check_code(p jsonb, p_payment_id text, p_now timestamptz)
    returns table (verdict text, tries_left int, code_id bigint, phone text) language plpgsql as $$
    declare c payment_codes; gate text; wrong int; after record;
    begin
      select * into c from payment_codes where payment_id = p_payment_id order by seq desc limit 1;
      if not found then return query select 'code_dead', 0, null::bigint, null::text; return; end if;
      gate := tp_code_gate(c.status, c.code_hash, c.wrong_tries, c.expires_at, p_now, (p -> 'limits' ->> 'per_code')::int);
      if gate is not null then return query select gate, case when gate = 'code_expired' then null else 0 end, c.id, c.phone; return; end if;
      -- past its share of the phone's wrong codes today, a client is refused before its code is compared
      if p ->> 'client' is not null and tp_client_wrong_today(c.phone, c.mode, p ->> 'client', p_now) >= (p -> 'limits' ->> 'per_client_day')::int then
        return query select 'client_limited', null::int, c.id, c.phone; return;
      end if;
      -- a code made with a CODE_SECRET this instance lacks is no wrong try: the buyer's code may be right
      if c.secret_id is null or p -> 'hashes' ->> c.secret_id is null then return query select 'secret_unknown', null::int, c.id, c.phone; return; end if;
      -- HMACs under a server secret: equal or not, their timing tells nothing about the code
      if c.code_hash = p -> 'hashes' ->> c.secret_id then return query select 'right', null::int, c.id, c.phone; return; end if;
      -- the phone's wrong tries count across payments: serialized per phone (the right code needs no such lock)
      perform pg_advisory_xact_lock(hashtextextended('phone:' || c.mode || ':' || c.phone, 0));
      update payment_codes set wrong_tries = wrong_tries + 1 where id = c.id returning wrong_tries into wrong;
      insert into phone_wrong_tries (phone, mode, payment_id, at, client) values (c.phone, c.mode, c.payment_id, p_now, p ->> 'client');
      select * into after from tp_after_wrong_try(wrong, tp_phone_wrong_today(c.phone, c.mode, p_now), p -> 'limits', (p ->> 'shared_test_phone')::boolean);
      return query select after.verdict, after.tries_left, c.id, c.phone;
    end $$;

    -- docs/buyer-guide.md#me--the-buyers-wallet-page: a /me sign-in code, under the rules of a payment code (its wrong tries count
    -- against the phone with the payment codes'); the code is spent when right, and dies when out of tries
    create function tp_check_sign_in_code(p jsonb)
    returns table (verdict text, tries_left int) language plpgsql as $$
    declare c sign_in_codes; gate text; wrong int; after record; v_now timestamptz := (p ->> 'now')::timestamptz;
    begin
      perform pg_advisory_xact_lock(hashtextextended('phone:live:' || (p ->> 'phone'), 0));
      select * into c from sign_in_codes where phone = p ->> 'phone' order by id desc limit 1;
      if not found then return query select 'code_dead', 0; return; end if;
      gate := tp_code_gate(c.status, c.code_hash, c.wrong_tries, c.expires_at, v_now, (p -> 'limits' ->> 'per_code')::int);
      if gate is not null then return query select gate, case when gate = 'code_expired' then null else 0 end; return; end if;
      if tp_client_wrong_today(c.phone, 'live', p ->> 'client', v_now) >= (p -> 'limits' ->> 'per_client_day')::int then
        return query select 'client_limited', null::int; return;
      end if;
      if p -> 'hashes' ->> c.secret_id is null then return query select 'secret_unknown', null::int; return; end if;
      if c.code_hash = p -> 'hashes' ->> c.secret_id then
        update sign_in_codes set status = 'used' where id = c.id;
        return query select 'right', null::int; return;
      end if;
      update sign_in_codes set wrong_tries = wrong_tries + 1 where id = c.id returning wrong_tries into wrong;
      insert into phone_wrong_tries (phone, mode, payment_id, at, client) values (c.phone, 'live', null, v_now, p ->> 'client');
      select * into after from tp_after_wrong_try(wrong, tp_phone_wrong_today(c.phone, 'live', v_now), p -> 'limits', false);
      if after.verdict = 'too_many' then update sign_in_codes set status = 'dead' where id = c.id; end if;
      return query select after.verdict, after.tries_left;
    end $$;

    -- §5 paying: debit the phone's wallet and credit the merchant once (or hold the money for capture), mark the payment paid
    -- with the values its notifications were rendered from, spend the code, and write the outbox; on the caller's locked payment
    create function tp_pay_approved(p jsonb, p_payment_id text, p_code_id bigint)
    returns table (outcome text, notification_ids text[]) language plpgsql as $$
    declare pay payments; w wallets; paid jsonb := p -> 'paid'; mv jsonb := p -> 'move'; refusal text; moved_id bigint; held_again boolean;
    begin
      select * into pay from payments where id = p_payment_id;
      if (p ->> 'simulate_failure')::boolean then return query select 'simulated', null::text[]; return; end if;
      select * into w from wallets where phone = paid ->> 'phone' and currency = pay.currency and mode = pay.mode;
      if not found then return query select 'no_wallet', null::text[]; return; end if;
      -- docs/buyer-guide.md#freeze-i-lost-my-phone: a frozen wallet pays nothing, and the code stays live
      if w.status = 'frozen' then return query select 'wallet_frozen', null::text[]; return; end if;
      -- the notifications name the payer the service read: another wallet now means the plan is stale
      if w.purse is distinct from paid ->> 'payer_purse' or w.holder_id is distinct from paid ->> 'payer_wm' then return query select 'stale', null::text[]; return; end if;
      if pay.capture_mode = 'manual' then
        select h.refusal, h.replayed into refusal, held_again from tp_hold(mv ->> 'hold_id', mv ->> 'key', w.purse, pay.amount, pay.currency, pay.mode, (paid ->> 'updated_at')::timestamptz, (mv ->> 'expires_at')::timestamptz) h;
        -- as the transfer below: a hold already made for this payment means it was paid, and this plan must not mark it paid again
        if held_again then raise exception 'payment % was held before it was paid', pay.id; end if;
      else
        select t.refusal, t.transfer_id into refusal, moved_id from tp_transfer(mv ->> 'key', 'payment', pay.currency, pay.mode, (paid ->> 'updated_at')::timestamptz,
          mv -> 'metadata', mv -> 'legs', '{}', mv -> 'entries', (mv ->> 'transfer_id')::bigint) t;
        if moved_id is distinct from (mv ->> 'transfer_id')::bigint and refusal is null then raise exception 'payment % was moved before it was paid', pay.id; end if;
      end if;
      if refusal = 'insufficient_funds' then return query select 'insufficient_funds', null::text[]; return; end if;
      if refusal is not null then raise exception 'payment %: the ledger refused the movement (%)', pay.id, refusal; end if;
      if p_code_id is not null then update payment_codes set status = 'used' where id = p_code_id; end if;
      update payments set phone = paid ->> 'phone', payer_purse = w.purse, payer_wm = w.holder_id, status = paid ->> 'status',
          transfer_id = (paid ->> 'transfer_id')::bigint, trans_date = (paid ->> 'trans_date')::timestamptz, hold_id = paid ->> 'hold_id',
          amount_captured = (paid ->> 'amount_captured')::bigint, paid_at = (paid ->> 'paid_at')::timestamptz, fee = (paid ->> 'fee')::bigint,
          fee_refund = coalesce(paid ->> 'fee_refund', fee_refund), updated_at = (paid ->> 'updated_at')::timestamptz
        where id = pay.id;
      return query select 'paid', tp_write_outbox(p -> 'outbox');
    end $$;

    -- §5 confirm, whole (docs/architecture.md#money-statements): the work, then the API key's hit; a refused hit undoes the work and
    -- still counts, so a request past API_RATE_PER_SECOND changes nothing but its counter (§14)
    create function tp_confirm(p jsonb)
    returns table (outcome text, tries_left int, payment_status text, notification_ids text[]) language plpgsql as $$
    declare r record;
    begin
      begin
        select * into r from tp_confirm_work(p);
        perform tp_count_hits(p -> 'hits');
      exception when sqlstate 'TP429' then
        perform tp_recount_hits(p -> 'hits', sqlerrm);
        return query select 'rate_limited', null::int, null::text, null::text[]; return;
      end;
      return query select r.outcome, r.tries_left, r.payment_status, r.notification_ids;
    end $$;

    -- §5 the payment's lock and state, the code, then paying
    create function tp_confirm_work(p jsonb)
    returns table (outcome text, tries_left int, payment_status text, notification_ids text[]) language plpgsql as $$
    declare pay record; v_now timestamptz := (p ->> 'now')::timestamptz; chk record; merchant_status text;
    begin
      select py.*, py.xmin::text as version, s.status as shop_status into pay from payments py join shops s on s.id = py.shop_id where py.id = p ->> 'payment_id' for update of py;
      -- a merchant sees only its own payments of its key's mode: anything else does not exist for it
      if not found or pay.merchant_id <> coalesce(p ->> 'merchant_id', pay.merchant_id) or pay.mode <> coalesce(p ->> 'mode', pay.mode) then
        return query select 'payment_not_found', null::int, null::text, null::text[]; return;
      end if;
      if p ->> 'merchant_id' is not null then
        -- under a share lock: a suspension waits for this confirm to end
        select m.status into merchant_status from merchants m where m.id = pay.merchant_id for share;
        if merchant_status = 'suspended' then return query select 'merchant_suspended', null::int, pay.status, null::text[]; return; end if;
      end if;
      if pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'paid'))) then
        -- a retried confirm with the code that paid gets the paid payment back; anything else is a conflict
        return query select case when exists (select 1 from (select c.* from payment_codes c where c.payment_id = pay.id order by c.seq desc limit 1) c
                                  where c.status = 'used' and c.code_hash = p -> 'hashes' ->> c.secret_id) then 'replay' else 'already_paid' end,
                            null::int, pay.status, null::text[];
        return;
      end if;
      if pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'open'))) and pay.expires_at <= v_now then
        return query select 'expired', null::int, pay.status, null::text[]; return;
      end if;
      if not pay.status = any(array(select jsonb_array_elements_text(p -> 'statuses' -> 'confirm'))) then
        return query select 'invalid_state', null::int, pay.status, null::text[]; return;
      end if;
      -- docs/merchant-guide.md#shops-methods-and-keys: a disabled shop takes no money, not even for a payment opened before
      if pay.shop_status = 'disabled' then return query select 'shop_disabled', null::int, pay.status, null::text[]; return; end if;
      if pay.version <> p ->> 'version' then return query select 'stale', null::int, pay.status, null::text[]; return; end if;
      select * into chk from tp_check_code(p, pay.id, v_now);
      if chk.verdict <> 'right' then return query select chk.verdict, chk.tries_left, pay.status, null::text[]; return; end if;
      if chk.phone is distinct from p -> 'paid' ->> 'phone' then return query select 'stale', null::int, pay.status, null::text[]; return; end if;
      return query select a.outcome, null::int, pay.status, a.notification_ids from tp_pay_approved(p, pay.id, chk.code_id) a;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function tp_confirm(jsonb);
    drop function tp_confirm_work(jsonb);
    drop function tp_recount_hits(jsonb, text);
    drop function tp_count_hits(jsonb);
    drop function tp_pay_approved(jsonb, text, bigint);
    drop function tp_check_sign_in_code(jsonb);
    drop function tp_check_code(jsonb, text, timestamptz);
    drop function tp_phone_wrong_today(text, text, timestamptz);
    drop function tp_client_wrong_today(text, text, text, timestamptz);
    drop function tp_after_wrong_try(int, int, jsonb, boolean);
    drop function tp_code_gate(text, text, int, timestamptz, timestamptz, int);
    drop function tp_write_outbox(jsonb);
    drop function tp_hit(text, timestamptz);
    alter table sign_in_codes drop column code_hash;
    alter table payment_codes drop column code_hash;
  `);
}
