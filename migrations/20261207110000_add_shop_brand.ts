import type { Knex } from 'knex';

// docs/merchant-guide.md#brand: what the hosted pages, receipts and mails show of the shop. The logo's bytes live beside
// its hash (its address) and type; the bytes are read only by the logo's own URL.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table shops
      add column brand_color text check (brand_color ~ '^#[0-9a-f]{6}$'),
      add column brand_support_email text check (length(brand_support_email) <= 254),
      add column brand_support_phone text check (brand_support_phone ~ '^[0-9]{6,15}$'),
      add column brand_terms_url text check (length(brand_terms_url) <= 2000),
      add column brand_logo bytea check (octet_length(brand_logo) <= 102400),
      add column brand_logo_type text check (brand_logo_type in ('image/png', 'image/svg+xml')),
      add column brand_logo_hash text,
      add constraint shops_brand_logo_whole check ((brand_logo is null) = (brand_logo_type is null) and (brand_logo is null) = (brand_logo_hash is null));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table shops drop constraint shops_brand_logo_whole, drop column brand_color, drop column brand_support_email, drop column brand_support_phone,
      drop column brand_terms_url, drop column brand_logo, drop column brand_logo_type, drop column brand_logo_hash;
  `);
}
