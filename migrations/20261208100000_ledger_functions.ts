import type { Knex } from 'knex';

/**
 * Issue 37: the ledger's rules in one home, PostgreSQL, so a transfer is one round trip (docs/architecture.md#money-statements).
 * Refusals come back as a row (`refusal`), never as an exception, so the caller's transaction stays usable for recording them;
 * a request that breaks the ledger's own rules (unbalanced, a zero leg, entries that do not explain a merchant leg) is a bug and raises.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- §3 the ledger: locks the legs' wallets in the one order, then walks the legs: each wallet's balance after each leg, and the
    -- first leg the rules refuse. One statement reads and locks them all by purse (a join of the legs made the planner read the
    -- whole table, as a bench found); the walk is plain PL/pgSQL
    -- docs/architecture.md#lock-order, its one home: buyers' and merchants' wallets by purse, then the operator's accounts (purses
    -- of SYSTEM_PURSE_DIGITS, lib/domain/wallet.ts), which many payments share, by purse; lockWallets() in lib/store/wallets.ts calls it too
    create function tp_lock_wallets(p_purses text[]) returns setof wallets language sql as $$
      select * from wallets where purse = any(p_purses) order by substr(purse, 2, 9) = '000000000', purse for no key update
    $$;

    create function tp_transfer_plan(p_purses text[], p_amounts bigint[], p_release jsonb, p_currency text, p_mode text)
    returns table (balance_after bigint[], refusal text, refused_purse text, moves_merchant boolean) language plpgsql as $$
    declare w wallets; found_purses text[] := '{}'; found_rows wallets[] := '{}'; afters bigint[] := '{}'; k int; running bigint; held_now bigint; merchant boolean := false;
    begin
      for w in select * from tp_lock_wallets(p_purses) loop
        found_purses := found_purses || w.purse;
        found_rows := found_rows || w;
      end loop;
      for i in 1 .. cardinality(p_purses) loop
        k := array_position(found_purses, p_purses[i]);
        if k is null then return query select afters, 'wallet_not_found', p_purses[i], merchant; return; end if;
        w := found_rows[k];
        if w.currency <> p_currency then return query select afters, 'currency_mismatch', p_purses[i], merchant; return; end if;
        if w.mode <> p_mode then return query select afters, 'mode_mismatch', p_purses[i], merchant; return; end if;
        merchant := merchant or w.kind = 'merchant';
        held_now := w.held - coalesce((p_release ->> w.purse)::bigint, 0);
        if held_now < 0 then raise exception 'releasing more than is held on %', w.purse; end if;
        -- a purse met before in this transfer goes on from its balance after that leg
        running := w.balance;
        for j in reverse i - 1 .. 1 loop
          if p_purses[j] = w.purse then running := afters[j]; exit; end if;
        end loop;
        running := running + p_amounts[i];
        -- a customer's or merchant's wallet never goes below what it has on hold; the operator's issuance wallet may
        if w.kind <> 'system' and running - held_now < 0 then return query select afters, 'insufficient_funds', p_purses[i], merchant; return; end if;
        afters := afters || running;
      end loop;
      return query select afters, null::text, null::text, merchant;
    end $$;

    -- §3 exactly once: a key that moved money answers with that movement; the same key for another movement is refused
    create function tp_transfer_replay(p_key text, p_purses text[], p_amounts bigint[])
    returns table (transfer_id bigint, created_at timestamptz, refusal text) language sql stable as $$
      select t.id, t.created_at,
             case when (select array_agg(p.purse || ':' || p.amount order by p.purse || ':' || p.amount) from postings p where p.transfer_id = t.id)
                     = (select array_agg(l.purse || ':' || l.amount order by l.purse || ':' || l.amount) from unnest(p_purses, p_amounts) as l (purse, amount))
                  then null else 'idempotency_key_reused' end
      from transfers t where t.key = p_key
    $$;

    -- docs/merchant-guide.md#balance-payouts-and-statements: the balance transactions explaining the merchant wallets of a transfer, written with it
    create function tp_write_entries(p_transfer_id bigint, p_at timestamptz, p_purses text[], p_amounts bigint[], p_entries jsonb) returns void language plpgsql as $$
    declare unexplained text;
    begin
      -- every merchant wallet a transfer moves is explained by entries whose net sums to its leg, exactly (a bug otherwise)
      with legs as (select l.purse, sum(l.amount) as moved from unnest(p_purses, p_amounts) as l (purse, amount)
                      where (select w.kind from wallets w where w.purse = l.purse) = 'merchant' group by 1),
           explained as (select x ->> 'purse' as purse, sum((x ->> 'amount')::bigint - (x ->> 'fee')::bigint) as net from jsonb_array_elements(p_entries) x
                      where (select w.kind from wallets w where w.purse = x ->> 'purse') = 'merchant' group by 1)
      select string_agg(coalesce(legs.purse, explained.purse), ', ') into unexplained
      from legs full join explained on explained.purse = legs.purse where coalesce(legs.moved, 0) <> coalesce(explained.net, 0);
      if unexplained is not null then raise exception 'balance transactions do not explain the transfer on %', unexplained; end if;
      insert into balance_transactions (id, purse, merchant_id, type, currency, amount, fee, net, source, transfer_id, created_at, available_on, payout_id)
      select x ->> 'id', w.purse, w.merchant_id, x ->> 'type', w.currency, (x ->> 'amount')::bigint, (x ->> 'fee')::bigint,
             (x ->> 'amount')::bigint - (x ->> 'fee')::bigint, x ->> 'source', p_transfer_id, p_at,
             case when (x ->> 'delayed')::boolean then (x ->> 'available_from')::timestamptz + make_interval(days => w.payout_delay_days) else p_at end,
             x ->> 'payout_id'
      from jsonb_array_elements(p_entries) with ordinality as t (x, i),
        lateral (select wl.purse, wl.merchant_id, wl.currency, m.payout_delay_days from wallets wl join merchants m on m.id = wl.merchant_id
                 where wl.purse = x ->> 'purse' and wl.kind = 'merchant') w
      order by i;
    end $$;

    -- §3 the ledger: one balanced movement, in the caller's transaction: lock, check, claim the key, post, rebalance, explain
    create function tp_transfer(p_key text, p_kind text, p_currency text, p_mode text, p_at timestamptz, p_metadata jsonb,
                                p_legs jsonb, p_release jsonb default '{}', p_entries jsonb default '[]', p_id bigint default null)
    returns table (transfer_id bigint, created_at timestamptz, replayed boolean, refusal text, refused_purse text)
    language plpgsql as $$
    declare purses text[]; amounts bigint[]; plan record; new_id bigint; total bigint := 0; leg bigint;
    begin
      select array_agg(l ->> 'purse' order by o), array_agg((l ->> 'amount')::bigint order by o) into purses, amounts
        from jsonb_array_elements(p_legs) with ordinality as t (l, o);
      if coalesce(cardinality(purses), 0) < 2 then raise exception 'a transfer needs at least two legs'; end if;
      foreach leg in array amounts loop
        if leg = 0 then raise exception 'transfer % has a zero leg', p_key; end if;
        total := total + leg;
      end loop;
      if total <> 0 then raise exception 'transfer % legs do not sum to zero', p_key; end if;
      select * into plan from tp_transfer_plan(purses, amounts, p_release, p_currency, p_mode);
      if plan.refusal is not null then
        -- a retry of a transfer that happened is a replay, even if the money has moved on since
        return query select r.transfer_id, r.created_at, r.refusal is null, r.refusal, null::text from tp_transfer_replay(p_key, purses, amounts) r;
        if not found then return query select null::bigint, null::timestamptz, false, plan.refusal, plan.refused_purse; end if;
        return;
      end if;
      -- p_id: a number the service drew from transfers_id_seq to sign the Result with it (tp_confirm)
      insert into transfers (id, key, kind, currency, mode, created_at, metadata)
        values (coalesce(p_id, nextval('transfers_id_seq')), p_key, p_kind, p_currency, p_mode, p_at, p_metadata)
        on conflict (key) do nothing returning id into new_id;
      if new_id is null then
        return query select r.transfer_id, r.created_at, r.refusal is null, r.refusal, null::text from tp_transfer_replay(p_key, purses, amounts) r;
        return;
      end if;
      insert into postings (transfer_id, purse, amount, balance_after, created_at)
        select new_id, l.purse, l.amount, l.after, p_at from unnest(purses, amounts, plan.balance_after) with ordinality as l (purse, amount, after, o) order by l.o;
      -- each wallet ends at its balance after its last leg; a capture releases its hold in the same write
      for i in 1 .. cardinality(purses) loop
        if purses[i] <> all(purses[i + 1:]) or i = cardinality(purses) then
          update wallets set balance = plan.balance_after[i], held = held - coalesce((p_release ->> purses[i])::bigint, 0) where purse = purses[i];
        end if;
      end loop;
      -- a transfer that moves no merchant wallet and brings no entries has nothing to explain
      if plan.moves_merchant or jsonb_array_length(p_entries) > 0 then perform tp_write_entries(new_id, p_at, purses, amounts, p_entries); end if;
      return query select new_id, p_at, false, null::text, null::text;
    end $$;

    -- docs/merchant-guide.md#authorize-now-capture-later: a reservation; the available money drops, the balance does not; keyed like transfers
    create function tp_hold(p_id text, p_key text, p_purse text, p_amount bigint, p_currency text, p_mode text, p_at timestamptz, p_expires_at timestamptz)
    returns table (hold_id text, replayed boolean, refusal text) language plpgsql as $$
    declare w wallets; earlier text;
    begin
      -- the wallet lock first: it also serializes two reservations with the same key
      select * into w from wallets where purse = p_purse for no key update;
      if not found then return query select null::text, false, 'wallet_not_found'; return; end if;
      select id into earlier from holds where key = p_key;
      if earlier is not null then return query select earlier, true, null::text; return; end if;
      if w.currency <> p_currency then return query select null::text, false, 'currency_mismatch'; return; end if;
      if w.mode <> p_mode then return query select null::text, false, 'mode_mismatch'; return; end if;
      if w.kind <> 'system' and w.balance - w.held < p_amount then return query select null::text, false, 'insufficient_funds'; return; end if;
      insert into holds (id, key, purse, amount, status, created_at, expires_at) values (p_id, p_key, p_purse, p_amount, 'active', p_at, p_expires_at);
      update wallets set held = held + p_amount where purse = p_purse;
      return query select p_id, false, null::text;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function tp_hold(text, text, text, bigint, text, text, timestamptz, timestamptz);
    drop function tp_transfer(text, text, text, text, timestamptz, jsonb, jsonb, jsonb, jsonb, bigint);
    drop function tp_write_entries(bigint, timestamptz, text[], bigint[], jsonb);
    drop function tp_transfer_replay(text, text[], bigint[]);
    drop function tp_transfer_plan(text[], bigint[], jsonb, text, text);
    drop function tp_lock_wallets(text[]);
  `);
}
