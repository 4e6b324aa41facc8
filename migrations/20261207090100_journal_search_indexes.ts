import type { Knex } from 'knex';

// docs/merchant-guide.md#back-office: the journal's search finds the phone's last 4 digits, an exact amount, and a value of the merchant's own fields or metadata
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- every value of the form's own fields ([name, value] pairs) and of the API's metadata, lower-cased, for an exact search
    create function payment_field_values(custom_fields jsonb, metadata jsonb) returns text[] language sql immutable parallel safe as $$
      select coalesce(array_agg(lower(v)), '{}') from (
        select f ->> 1 as v from jsonb_array_elements(case jsonb_typeof(custom_fields) when 'array' then custom_fields else '[]' end) f
        union all
        select value from jsonb_each_text(case jsonb_typeof(metadata) when 'object' then metadata else '{}' end)
      ) t where v is not null and v <> ''
    $$;
    create index payments_by_field_values on payments using gin (payment_field_values(custom_fields, metadata));
    create index payments_by_merchant_amount on payments (merchant_id, amount, invoice_no desc);
    create index payments_by_merchant_last4 on payments (merchant_id, right(phone, 4), invoice_no desc) where phone is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index payments_by_merchant_last4;
    drop index payments_by_merchant_amount;
    drop index payments_by_field_values;
    drop function payment_field_values(jsonb, jsonb);
  `);
}
