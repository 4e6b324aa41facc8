import type { Knex } from 'knex';

// docs/merchant-guide.md#test-mode: every shop has a test purse beside each live one; a test merchant's purses are its test purses already
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index wallets_one_per_shop_currency;
    create unique index wallets_one_per_shop_currency_mode on wallets (shop_id, currency, mode) where shop_id is not null;
    do $$
    declare w record; drawn text;
    begin
      for w in select l.* from wallets l where l.kind = 'merchant' and l.mode = 'live' and l.shop_id is not null
          and not exists (select 1 from wallets t where t.shop_id = l.shop_id and t.currency = l.currency and t.mode = 'test')
          order by l.purse loop
        loop
          -- random like domain/wallet.ts newPurse: 12 digits, never the system range
          drawn := left(w.purse, 1) || lpad((floor(random() * 1e12))::bigint::text, 12, '0');
          continue when substr(drawn, 2, 9) = '000000000' or exists (select 1 from wallets where purse = drawn);
          insert into wallets (purse, holder_id, currency, kind, mode, merchant_id, shop_id, created_at)
            values (drawn, w.holder_id, w.currency, 'merchant', 'test', w.merchant_id, w.shop_id, now());
          exit;
        end loop;
      end loop;
    end $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from wallets t using merchants m
     where t.merchant_id = m.id and m.mode = 'live' and t.kind = 'merchant' and t.mode = 'test'
       and not exists (select 1 from postings p where p.purse = t.purse) and not exists (select 1 from payments p where p.payee_purse = t.purse);
    drop index wallets_one_per_shop_currency_mode;
    create unique index wallets_one_per_shop_currency on wallets (shop_id, currency) where shop_id is not null;
  `);
}
