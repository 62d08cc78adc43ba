import { describe, expect, it } from "vitest";
import { check } from "../../src/commands/check.js";
import { RULES } from "../../src/checks/registry.js";
import { project, type Fixture } from "./fixtures.js";

/** A config that turns off the lock_timeout Sluice sets for every migration. */
const NO_LOCK_TIMEOUT = "{ lockTimeout: 0 }";

/** Each rule: migrations it flags and migrations it passes, as .ts ops and as .sql where both apply. */
const cases: Record<string, { flags: Fixture[]; passes: Fixture[] }> = {
  "missing-downgrade": {
    flags: [{ ts: `op.addColumn("products", { name: "note", type: "text" });`, tsDown: "", sql: "ALTER TABLE products ADD COLUMN note text;", sqlDown: "" }],
    passes: [
      { ts: `op.addColumn("products", { name: "note", type: "text" });`, tsDown: `op.dropColumn("products", "note");`, sql: "ALTER TABLE products ADD COLUMN note text;", sqlDown: "ALTER TABLE products DROP COLUMN note;" },
      { ts: `op.execute("UPDATE products SET name = lower(name) WHERE name IS NOT NULL");`, tsDown: "", tsOptions: `irreversible: "lower-casing loses the original spelling",`, sql: "UPDATE products SET name = lower(name) WHERE name IS NOT NULL;", sqlDown: "", sqlHeader: "-- sluice:irreversible lower-casing loses the original spelling" },
      // Only enum values added: PostgreSQL cannot drop them, so leaving them is the downgrade.
      { ts: `op.addEnumValue("mediaassettype", "usd_master");`, tsDown: "", sql: "ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'usd_master';", sqlDown: "" },
    ],
  },
  "not-null-without-default": {
    flags: [
      { ts: `op.addColumn("products", { name: "is_active", type: "boolean", nullable: false });`, sql: "ALTER TABLE products ADD COLUMN is_active boolean NOT NULL;" },
      { ts: `op.alterColumn("products", "name", { nullable: false });`, sql: "ALTER TABLE products ALTER COLUMN name SET NOT NULL;" },
      // Only what comes before the SET NOT NULL counts: a backfill after it, or a CHECK never validated.
      {
        ts: `op.alterColumn("products", "name", { nullable: false }); op.execute("UPDATE products SET name = '' WHERE name IS NULL");`,
        sql: "ALTER TABLE products ALTER COLUMN name SET NOT NULL;\nUPDATE products SET name = '' WHERE name IS NULL;",
      },
      {
        ts: `op.createCheckConstraint("name_nn", "products", "name IS NOT NULL", { notValid: true }); op.alterColumn("products", "name", { nullable: false }); op.validateConstraint("name_nn", "products");`,
        sql: "ALTER TABLE products ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;\nALTER TABLE products VALIDATE CONSTRAINT name_nn;",
      },
    ],
    passes: [
      { ts: `op.addColumn("products", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });`, sql: "ALTER TABLE products ADD COLUMN is_active boolean NOT NULL DEFAULT true;" },
      { ts: `op.execute("UPDATE products SET name = '' WHERE name IS NULL"); op.alterColumn("products", "name", { nullable: false });`, sql: "UPDATE products SET name = '' WHERE name IS NULL;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;" },
      { ts: `op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }, { name: "label", type: "text", nullable: false }]);`, sql: "CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL);" },
      // A validated CHECK (name IS NOT NULL) proves no row is NULL, as a backfill would.
      {
        ts: `op.createCheckConstraint("name_nn", "products", "name IS NOT NULL", { notValid: true }); op.validateConstraint("name_nn", "products"); op.alterColumn("products", "name", { nullable: false });`,
        sql: "ALTER TABLE products ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE products VALIDATE CONSTRAINT name_nn;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;",
      },
      { ts: `op.createCheckConstraint("name_nn", "products", "name IS NOT NULL"); op.alterColumn("products", "name", { nullable: false });`, sql: "ALTER TABLE products ADD CONSTRAINT name_nn CHECK (name IS NOT NULL);\nALTER TABLE products ALTER COLUMN name SET NOT NULL;" },
    ],
  },
  "foreign-key-on-delete": {
    flags: [
      { ts: `op.addColumn("products", { name: "parent_id", type: "uuid", references: { table: "parents" } });`, sql: "ALTER TABLE products ADD COLUMN parent_id uuid REFERENCES parents(id);" },
      { ts: `op.createForeignKey("fk_p", "products", ["sku"], "parents", ["id"]);`, sql: "CREATE TABLE kids (id bigint PRIMARY KEY, parent_id uuid REFERENCES parents (id) ON UPDATE CASCADE, other uuid REFERENCES parents ON DELETE CASCADE);" },
    ],
    passes: [
      { ts: `op.addColumn("products", { name: "parent_id", type: "uuid", references: { table: "parents", onDelete: "CASCADE" } });`, sql: "ALTER TABLE products ADD COLUMN parent_id uuid REFERENCES parents(id) ON DELETE CASCADE;" },
      { ts: `op.createForeignKey("fk_p", "products", ["sku"], "parents", ["id"], { onDelete: "NO ACTION", notValid: true });`, sql: "ALTER TABLE products ADD CONSTRAINT fk_p FOREIGN KEY (sku) REFERENCES parents (id) ON DELETE NO ACTION NOT VALID;" },
    ],
  },
  "destructive-change": {
    flags: [
      { ts: `op.dropColumn("products", "sku");`, sql: "ALTER TABLE products DROP COLUMN sku;" },
      { ts: `op.dropTable("parents");`, sql: "DROP TABLE parents;" },
      { ts: `op.execute("DELETE FROM products");`, sql: "TRUNCATE products;" },
      { ts: `op.execute("UPDATE products SET sku = NULL");`, sql: "DROP TYPE mediaassettype;" },
      { ts: `op.dropTable("parents", { allow: { "destructive-change": "" } });`, sql: "-- sluice:allow destructive-change\nDROP SCHEMA legacy;" },
      { ts: `op.execute("SELECT 1");`, tsDown: `op.dropTable("parents");`, sql: "SELECT 1;", sqlDown: "DROP TABLE parents;" },
      { ts: `op.execute("ALTER TYPE mediaassettype RENAME TO mediaassettype_old; DROP TYPE mediaassettype_old");`, sql: "ALTER TYPE mediaassettype RENAME TO mediaassettype_old;\nDROP TYPE mediaassettype_old;" },
    ],
    passes: [
      // An index holds no data: dropping one is a lock question (index-not-concurrent), not a loss.
      { ts: `op.dropIndex("ix_old");`, sql: "DROP INDEX CONCURRENTLY ix_old;", sqlHeader: "-- sluice:transactional false" },
      // DROP DATABASE and TRUNCATE … CASCADE are reported once, by drop-database and truncate-cascade.
      { ts: `op.execute("DROP DATABASE legacy");`, sql: "TRUNCATE products CASCADE;" },
      { ts: `op.dropColumn("products", "sku", { allow: { "destructive-change": "sku moved to product_codes in 002" } });`, sql: "-- sluice:allow destructive-change sku moved to product_codes in 002\nALTER TABLE products DROP COLUMN sku;" },
      { ts: `op.execute("DELETE FROM products WHERE sku IS NULL");`, sql: "UPDATE products SET sku = name WHERE sku IS NULL;" },
      { ts: `op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }]);`, tsDown: `op.dropTable("tags");`, sql: "CREATE TABLE tags (id bigint PRIMARY KEY);", sqlDown: "DROP TABLE tags;" },
      // Recreating an enum with other values: its rows move to the new type before the old one is dropped.
      {
        ts: `op.execute("ALTER TYPE mediaassettype RENAME TO mediaassettype_old; CREATE TYPE mediaassettype AS ENUM ('image', 'video'); DROP TYPE mediaassettype_old");`,
        sql: "ALTER TYPE mediaassettype RENAME TO mediaassettype_old;\nCREATE TYPE mediaassettype AS ENUM ('image', 'video');\nDROP TYPE mediaassettype_old;",
      },
    ],
  },
  "enum-value-not-idempotent": {
    flags: [{ ts: `op.addEnumValue("mediaassettype", "usd_master", { ifNotExists: false });`, sql: "ALTER TYPE mediaassettype ADD VALUE 'usd_master';" }],
    passes: [{ ts: `op.addEnumValue("mediaassettype", "usd_master");`, sql: "ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'usd_master';" }],
  },
  "index-not-concurrent": {
    flags: [
      { ts: `op.createIndex("ix_sku", "products", ["sku"]);`, sql: "CREATE INDEX ix_sku ON products (sku);" },
      { ts: `op.dropIndex("ix_old");`, sql: "DROP INDEX ix_old;" },
    ],
    passes: [
      { ts: `op.createIndex("ix_sku", "products", ["sku"], { concurrently: true });`, tsOptions: "transactional: false,", sql: "CREATE INDEX CONCURRENTLY ix_sku ON products (sku);", sqlHeader: "-- sluice:transactional false" },
      { ts: `op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }, { name: "label", type: "text" }]); op.createIndex("ix_label", "tags", ["label"]);`, sql: "CREATE TABLE tags (id bigint PRIMARY KEY, label text);\nCREATE INDEX ix_label ON tags (label);" },
    ],
  },
  "concurrently-in-transaction": {
    flags: [{ ts: `op.createIndex("ix_sku", "products", ["sku"], { concurrently: true });`, sql: "DROP INDEX CONCURRENTLY ix_old;" }],
    passes: [{ ts: `op.createIndex("ix_sku", "products", ["sku"], { concurrently: true });`, tsOptions: "transactional: false,", sql: "DROP INDEX CONCURRENTLY ix_old;", sqlHeader: "-- sluice:transactional false" }],
  },
  "constraint-not-valid": {
    flags: [
      { ts: `op.createForeignKey("fk_p", "products", ["sku"], "parents", ["id"], { onDelete: "CASCADE" });`, sql: "ALTER TABLE products ADD CONSTRAINT fk_p FOREIGN KEY (sku) REFERENCES parents (id) ON DELETE CASCADE;" },
      { ts: `op.createCheckConstraint("price_positive", "products", "price > 0");`, sql: "ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0);" },
      // On an added column the constraint cannot be NOT VALID: it is checked in the same statement.
      { ts: `op.addColumn("products", { name: "parent_id", type: "uuid", references: { table: "parents", onDelete: "SET NULL" } });`, sql: "ALTER TABLE products ADD COLUMN qty integer CHECK (qty > 0);" },
    ],
    passes: [
      { ts: `op.createCheckConstraint("price_positive", "products", "price > 0", { notValid: true }); op.validateConstraint("price_positive", "products");`, sql: "ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0) NOT VALID;\nALTER TABLE products VALIDATE CONSTRAINT price_positive;" },
    ],
  },
  "unique-constraint-without-index": {
    flags: [
      { ts: `op.createUniqueConstraint("uq_sku", "products", ["sku"]);`, sql: "ALTER TABLE products ADD CONSTRAINT uq_sku UNIQUE (sku);" },
      { ts: `op.addColumn("products", { name: "code", type: "text", unique: true });`, sql: "ALTER TABLE products ADD COLUMN code text UNIQUE;" },
    ],
    passes: [
      { ts: `op.createUniqueConstraint("uq_sku", "products", ["sku"], { usingIndex: "uq_sku" });`, sql: "ALTER TABLE products ADD CONSTRAINT uq_sku UNIQUE USING INDEX uq_sku;" },
      // exclusion-constraint reports EXCLUDE, which has no USING INDEX form.
      { sql: "ALTER TABLE products ADD CONSTRAINT no_overlap EXCLUDE USING gist (name WITH =);" },
    ],
  },
  "column-type-rewrite": {
    flags: [
      { ts: `op.alterColumn("products", "price", { type: "double precision" });`, sql: "ALTER TABLE products ALTER COLUMN price TYPE float8;" },
      // Free by its types, but USING computes every value anew.
      { ts: `op.alterColumn("products", "price", { type: "numeric(12,2)", existing: { type: "numeric(10,2)" }, using: "round(price, 1)" });` },
    ],
    passes: [{ ts: `op.alterColumn("products", "price", { type: "numeric(12,2)", existing: { type: "numeric(10,2)" } });` }, { ts: `op.alterColumn("products", "price", { type: "numeric(12,2)", existing: { type: "numeric(10,2)" }, using: "price::numeric(12,2)" });` }],
  },
  "set-not-null-without-check": {
    flags: [{ ts: `op.execute("UPDATE products SET name = '' WHERE name IS NULL"); op.alterColumn("products", "name", { nullable: false });`, sql: "UPDATE products SET name = '' WHERE name IS NULL;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;" }],
    passes: [
      {
        ts: `op.createCheckConstraint("name_nn", "products", "name IS NOT NULL", { notValid: true }); op.validateConstraint("name_nn", "products"); op.alterColumn("products", "name", { nullable: false });`,
        sql: "ALTER TABLE products ADD CONSTRAINT name_nn CHECK (name IS NOT NULL) NOT VALID;\nALTER TABLE products VALIDATE CONSTRAINT name_nn;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;",
      },
    ],
  },
  "volatile-default": {
    flags: [
      { ts: `op.addColumn("products", { name: "token", type: "uuid", serverDefault: "gen_random_uuid()" });`, sql: "ALTER TABLE products ADD COLUMN token uuid DEFAULT gen_random_uuid();" },
      { ts: `op.addColumn("products", { name: "seen", type: "timestamptz", serverDefault: "clock_timestamp()" });`, sql: "ALTER TABLE products ADD COLUMN score int DEFAULT (random() * 100)::int;" },
      // A function Sluice does not know: reported as "cannot tell".
      { ts: `op.addColumn("products", { name: "code", type: "text", serverDefault: "app_next_code()" });`, sql: "ALTER TABLE products ADD COLUMN code text DEFAULT app.next_code();" },
      // Created in the migration without a volatility: VOLATILE, as PostgreSQL makes it.
      { sql: "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;\nALTER TABLE products ADD COLUMN code text DEFAULT next_code();" },
    ],
    passes: [
      { ts: `op.addColumn("products", { name: "created_at", type: "timestamptz", serverDefault: "now()" });`, sql: "ALTER TABLE products ADD COLUMN created_at timestamptz DEFAULT now();" },
      { ts: `op.addColumn("products", { name: "day", type: "timestamptz", serverDefault: "date_trunc('day', now())" });`, sql: "ALTER TABLE products ADD COLUMN seen timestamptz DEFAULT current_timestamp;" },
      { sql: "CREATE FUNCTION default_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;\nALTER TABLE products ADD COLUMN code text DEFAULT default_code();" },
    ],
  },
  rename: {
    flags: [
      { ts: `op.renameColumn("products", "sku", "code");`, sql: "ALTER TABLE products RENAME COLUMN sku TO code;" },
      { ts: `op.renameTable("products", "items");`, sql: "ALTER TABLE products RENAME TO items;" },
    ],
    passes: [{ ts: `op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }]); op.renameTable("tags", "labels");`, sql: "CREATE TABLE tags (id bigint PRIMARY KEY);\nALTER TABLE tags RENAME TO labels;" }],
  },
  "add-primary-key": {
    flags: [
      { ts: `op.createPrimaryKey("parents_pk", "parents", ["id"]);`, sql: "ALTER TABLE parents ADD PRIMARY KEY (id);" },
      // USING INDEX on columns not shown NOT NULL: PostgreSQL scans for NULLs under ACCESS EXCLUSIVE.
      { ts: `op.createPrimaryKey("parents_pk", "parents", ["id"], { usingIndex: "parents_id_idx" });`, sql: "ALTER TABLE parents ADD CONSTRAINT parents_pk PRIMARY KEY USING INDEX parents_id_idx;" },
    ],
    passes: [
      {
        ts: `op.alterColumn("parents", "id", { nullable: false }); op.createPrimaryKey("parents_pk", "parents", ["id"], { usingIndex: "parents_id_idx" });`,
        sql: "CREATE UNIQUE INDEX CONCURRENTLY parents_id_idx ON parents (id);\nALTER TABLE parents ADD CONSTRAINT parents_id_nn CHECK (id IS NOT NULL);\nALTER TABLE parents ADD CONSTRAINT parents_pk PRIMARY KEY USING INDEX parents_id_idx;",
        sqlHeader: "-- sluice:transactional false",
      },
    ],
  },
  // The rule applies only where the config turns off the lock_timeout Sluice sets for every migration.
  "lock-timeout": {
    flags: [
      { ts: `op.addColumn("products", { name: "note", type: "text" });`, sql: "ALTER TABLE products ADD COLUMN note text;", config: NO_LOCK_TIMEOUT },
      { ts: `op.dropIndex("ix_old");`, sql: "DROP INDEX ix_old;", config: NO_LOCK_TIMEOUT },
      // SET LOCAL outside a transaction sets nothing.
      {
        ts: `op.execute("SET LOCAL lock_timeout = '5s'"); op.addColumn("products", { name: "note", type: "text" });`,
        tsOptions: "transactional: false,",
        sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE products ADD COLUMN note text;",
        sqlHeader: "-- sluice:transactional false",
        config: NO_LOCK_TIMEOUT,
      },
    ],
    passes: [
      { ts: `op.execute("SET LOCAL lock_timeout = '5s'"); op.addColumn("products", { name: "note", type: "text" });`, sql: "SET lock_timeout = '5s';\nALTER TABLE products ADD COLUMN note text;", config: NO_LOCK_TIMEOUT },
      { ts: `op.execute("SET lock_timeout = '5s'"); op.addColumn("products", { name: "note", type: "text" });`, tsOptions: "transactional: false,", sql: "SET lock_timeout = '5s';\nALTER TABLE products ADD COLUMN note text;", sqlHeader: "-- sluice:transactional false", config: NO_LOCK_TIMEOUT },
      // Sluice's own default lock_timeout covers the statement.
      { ts: `op.addColumn("products", { name: "note", type: "text" });`, sql: "ALTER TABLE products ADD COLUMN note text;" },
      { ts: `op.addColumn("products", { name: "note", type: "text" });`, sql: "ALTER TABLE products ADD COLUMN note text;", config: `{ lockTimeout: "2s" }` },
    ],
  },
  "backfill-in-ddl-transaction": {
    flags: [{ ts: `op.addColumn("products", { name: "code", type: "text" }); op.execute("UPDATE products SET code = sku WHERE code IS NULL");`, sql: "ALTER TABLE products ADD COLUMN code text;\nUPDATE products SET code = sku WHERE code IS NULL;" }],
    passes: [
      { ts: `op.execute("UPDATE products SET code = sku WHERE code IS NULL");`, sql: "UPDATE products SET code = sku WHERE code IS NULL;" },
      // The backfill before the DDL: the ACCESS EXCLUSIVE lock comes after it.
      { ts: `op.execute("UPDATE products SET name = '' WHERE name IS NULL"); op.alterColumn("products", "name", { nullable: false });`, sql: "UPDATE products SET name = '' WHERE name IS NULL;\nALTER TABLE products ALTER COLUMN name SET NOT NULL;" },
    ],
  },
  "char-type": {
    flags: [{ ts: `op.addColumn("products", { name: "cc", type: "char(2)" });`, sql: "ALTER TABLE products ADD COLUMN cc char(2);" }],
    passes: [{ ts: `op.addColumn("products", { name: "cc", type: "text" });`, sql: "ALTER TABLE products ADD COLUMN cc text;" }],
  },
  "varchar-length": {
    flags: [{ ts: `op.addColumn("products", { name: "pim_id", type: "varchar(64)" });`, sql: "ALTER TABLE products ADD COLUMN pim_id varchar(64);" }],
    passes: [{ ts: `op.addColumn("products", { name: "pim_id", type: "text" });`, sql: "ALTER TABLE products ADD COLUMN pim_id varchar;" }],
  },
  "timestamp-without-time-zone": {
    flags: [{ ts: `op.addColumn("products", { name: "seen", type: "timestamp" });`, sql: "ALTER TABLE products ADD COLUMN seen timestamp without time zone;" }],
    passes: [{ ts: `op.addColumn("products", { name: "seen", type: "timestamptz" });`, sql: "ALTER TABLE products ADD COLUMN seen timestamp with time zone;" }],
  },
  "int-key": {
    flags: [{ ts: `op.createTable("tags", [{ name: "id", type: "integer", primaryKey: true }]);`, sql: "CREATE TABLE tags (id serial PRIMARY KEY);" }],
    passes: [{ ts: `op.createTable("tags", [{ name: "id", type: "bigint", identity: "always", primaryKey: true }]);`, sql: "CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n integer);" }],
  },
  "serial-column": {
    flags: [{ ts: `op.createTable("tags", [{ name: "id", type: "bigserial", primaryKey: true }]);`, sql: "CREATE TABLE tags (id bigserial PRIMARY KEY);" }],
    passes: [{ ts: `op.createTable("tags", [{ name: "id", type: "bigint", identity: "by default", primaryKey: true }]);`, sql: "CREATE TABLE tags (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);" }],
  },
  "sql-syntax": {
    flags: [{ ts: `op.execute("ALTER TABLE products ADD COLUMN");`, sql: "ALTER TABLE products ADD COLUMN note text;\nALTER TABLE products ADD COLUMN;" }],
    passes: [
      { ts: `op.execute("ALTER TABLE products ADD COLUMN note text");`, sql: "ALTER TABLE products ADD COLUMN note text;" },
      // Semicolons inside a standard SQL function body are the statement's own.
      { sql: "CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 1; END;\nALTER TABLE products ADD COLUMN note text;" },
    ],
  },
  "transaction-control": {
    flags: [{ ts: `op.execute("COMMIT");`, sql: "BEGIN;\nALTER TABLE products ADD COLUMN note text;\nCOMMIT;" }],
    passes: [{ ts: `op.execute("SELECT 1");`, sql: "SELECT 1;" }],
  },
  "reindex-not-concurrent": {
    flags: [
      { ts: `op.execute("REINDEX TABLE products");`, sql: "REINDEX INDEX products_pkey;" },
      { sql: "SELECT 1;\nREINDEX TABLE products;" },
    ],
    passes: [
      { ts: `op.execute("REINDEX TABLE CONCURRENTLY products");`, tsOptions: "transactional: false,", sql: "REINDEX (CONCURRENTLY) INDEX products_pkey;", sqlHeader: "-- sluice:transactional false" },
      { sql: "CREATE TABLE tags (id bigint PRIMARY KEY);\nREINDEX TABLE tags;" },
      // Squawk's acknowledgement of the same hazard counts.
      { sql: "-- squawk-ignore require-concurrent-reindex\nREINDEX TABLE products;" },
    ],
  },
  "drop-database": {
    flags: [{ ts: `op.execute("DROP DATABASE legacy");`, sql: "SELECT 1;", sqlDown: "DROP DATABASE IF EXISTS legacy;" }],
    passes: [{ ts: `op.execute("DROP TABLE IF EXISTS legacy_tmp");`, sql: "CREATE DATABASE reports;" }],
  },
  "truncate-cascade": {
    flags: [{ ts: `op.execute("TRUNCATE parents CASCADE");`, sql: "TRUNCATE TABLE parents, products CASCADE;" }],
    passes: [{ ts: `op.execute("TRUNCATE parents, products");`, sql: "TRUNCATE parents RESTRICT;" }],
  },
  "identifier-too-long": {
    flags: [
      { ts: `op.addColumn("products", { name: "very_long_very_long_very_long_very_long_very_long_very_long_very_long_", type: "text" });`, sql: "CREATE TABLE very_long_very_long_very_long_very_long_very_long_very_long_very_long_ (id bigint PRIMARY KEY);" },
      { sql: "CREATE INDEX very_long_very_long_very_long_very_long_very_long_very_long_very_long_ ON products (sku);\nALTER TABLE products RENAME COLUMN sku TO very_long_very_long_very_long_very_long_very_long_very_long_very_long_;" },
    ],
    passes: [
      { ts: `op.addColumn("products", { name: "a_shorter_column_name", type: "text" });`, sql: "CREATE TABLE a_shorter_table_name (a_shorter_column_name bigint PRIMARY KEY);" },
      // Exactly 63 bytes is kept whole.
      { sql: "ALTER TABLE products ADD COLUMN ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc text;" },
    ],
  },
  "domain-check": {
    flags: [
      { ts: `op.execute("CREATE DOMAIN positive AS numeric CHECK (VALUE > 0)");`, sql: "CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);" },
      { sql: "CREATE DOMAIN positive AS numeric;\nALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);" },
    ],
    passes: [
      { ts: `op.execute("CREATE DOMAIN positive AS numeric NOT NULL");`, sql: "CREATE DOMAIN positive AS numeric;\nALTER TABLE products ADD CONSTRAINT price_positive CHECK (price > 0) NOT VALID;" },
      { sql: "CREATE DOMAIN positive AS numeric;\nALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0) NOT VALID;" },
    ],
  },
  "detach-partition-not-concurrent": {
    flags: [{ ts: `op.execute("ALTER TABLE events DETACH PARTITION events_2024");`, sql: "ALTER TABLE events DETACH PARTITION events_2024;" }],
    passes: [
      { ts: `op.execute("ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY");`, tsOptions: "transactional: false,", sql: "ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;", sqlHeader: "-- sluice:transactional false" },
      { sql: "CREATE TABLE events (at date) PARTITION BY RANGE (at);\nCREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nALTER TABLE events DETACH PARTITION events_2024;" },
    ],
  },
  "add-identity-column": {
    // volatile-default leaves these to this rule: one finding per hazard.
    flags: [
      { ts: `op.addColumn("parents", { name: "seq", type: "bigint", identity: "always" });`, sql: "ALTER TABLE parents ADD COLUMN seq bigserial;" },
      { sql: "ALTER TABLE parents ADD COLUMN seq bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY;" },
    ],
    passes: [
      { ts: `op.createTable("tags", [{ name: "id", type: "bigint", identity: "always", primaryKey: true }]);`, sql: "CREATE TABLE tags (label text);\nALTER TABLE tags ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;" },
      { ts: `op.addColumn("parents", { name: "seq", type: "bigint" });`, sql: "ALTER TABLE parents ADD COLUMN seq bigint;" },
    ],
  },
  "duplicate-column-assignment": {
    flags: [
      { ts: `op.execute("UPDATE products SET name = 'a', name = 'b'");`, sql: "UPDATE products SET name = lower(name), sku = sku, name = upper(name);" },
      { sql: "INSERT INTO products (name, name) VALUES ('a', 'b');" },
      { sql: "INSERT INTO parents (id) VALUES (gen_random_uuid()) ON CONFLICT (id) DO UPDATE SET id = excluded.id, id = excluded.id;" },
      { sql: "CREATE TABLE tags (id bigint, id text);" },
    ],
    passes: [
      { ts: `op.execute("UPDATE products SET name = 'a', sku = 'b'");`, sql: "UPDATE products SET (name, sku) = ('a', 'b');" },
      { sql: "CREATE TABLE tags (id bigint PRIMARY KEY, label text);" },
    ],
  },
  "transaction-left-open": {
    flags: [
      { ts: `op.execute("BEGIN; CREATE TABLE users (id bigint PRIMARY KEY)");`, tsOptions: "transactional: false,", sql: "BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY);", sqlHeader: "-- sluice:transactional false" },
      { sql: "BEGIN;\nSELECT 1;\nCOMMIT;\nSTART TRANSACTION;\nSELECT 2;" },
    ],
    passes: [
      { ts: `op.execute("BEGIN; CREATE TABLE users (id bigint PRIMARY KEY); COMMIT");`, tsOptions: "transactional: false,", sql: "BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY);\nCOMMIT;", sqlHeader: "-- sluice:transactional false" },
      { sql: "CREATE TABLE users (id bigint PRIMARY KEY);" },
    ],
  },
  "generated-column-stored": {
    flags: [{ ts: `op.addColumn("products", { name: "label", type: "text", generated: "upper(name)" });`, sql: "ALTER TABLE products ADD COLUMN label text GENERATED ALWAYS AS (upper(name)) STORED;" }],
    passes: [
      { ts: `op.createTable("tags", [{ name: "id", type: "bigint", primaryKey: true }, { name: "name", type: "text" }, { name: "label", type: "text", generated: "upper(name)" }]);`, sql: "CREATE TABLE tags (name text, label text GENERATED ALWAYS AS (upper(name)) STORED);" },
      { sql: "ALTER TABLE products ADD COLUMN label text GENERATED ALWAYS AS (upper(name)) VIRTUAL;" },
    ],
  },
  "exclusion-constraint": {
    flags: [{ ts: `op.execute("ALTER TABLE products ADD CONSTRAINT no_same_name EXCLUDE USING btree (name WITH =)");`, sql: "ALTER TABLE products ADD CONSTRAINT no_same_name EXCLUDE USING btree (name WITH =);" }],
    passes: [{ ts: `op.execute("CREATE TABLE slots (during tstzrange, EXCLUDE USING gist (during WITH &&))");`, sql: "CREATE TABLE slots (during tstzrange);\nALTER TABLE slots ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);" }],
  },
  "json-type": {
    flags: [{ ts: `op.addColumn("products", { name: "attrs", type: "json" });`, sql: "ALTER TABLE products ADD COLUMN attrs json;" }],
    passes: [{ ts: `op.addColumn("products", { name: "attrs", type: "jsonb" });`, sql: "CREATE TABLE docs (id bigint PRIMARY KEY, body jsonb);" }],
  },
  "rename-schema": {
    flags: [{ ts: `op.execute("ALTER SCHEMA legacy RENAME TO archive");`, sql: "ALTER SCHEMA legacy RENAME TO archive;" }],
    passes: [{ ts: `op.execute("CREATE SCHEMA archive");`, sql: "ALTER SCHEMA legacy OWNER TO CURRENT_USER;" }],
  },
  "index-too-many-columns": {
    flags: [{ ts: `op.createIndex("ix_wide", "products", ["name", "sku", "price", "id"], { concurrently: true });`, tsOptions: "transactional: false,", sql: "CREATE INDEX CONCURRENTLY ix_wide ON products (name, sku, price, id);", sqlHeader: "-- sluice:transactional false" }],
    passes: [
      { ts: `op.createIndex("ix_wide", "products", ["name", "sku", "price", "id"], { unique: true, concurrently: true });`, tsOptions: "transactional: false,", sql: "CREATE INDEX CONCURRENTLY ix_three ON products (name, sku, price) INCLUDE (id);", sqlHeader: "-- sluice:transactional false" },
    ],
  },
};

async function findingsOf(rule: string, fixture: Fixture, form: "ts" | "sql") {
  const r = await check({ cwd: project(fixture, form, fixture.config), all: true });
  return { all: r, mine: r.findings.filter((f) => f.rule === rule && f.revision === "002") };
}

describe("every rule has fixtures it flags and fixtures it passes", () => {
  it("covers every registered rule except the chain rule (tested on whole chains)", () => {
    expect(Object.keys(cases).sort()).toEqual(RULES.map((r) => r.id).filter((id) => id !== "revision-chain").sort());
  });

  for (const [rule, { flags, passes }] of Object.entries(cases)) {
    describe(rule, () => {
      for (const form of ["ts", "sql"] as const) {
        flags.forEach((fixture, i) => {
          if (!fixture[form]) return;
          it(`flags ${form} fixture ${i + 1} at a line of the file`, async () => {
            const { mine } = await findingsOf(rule, fixture, form);
            expect(mine.length).toBeGreaterThan(0);
            for (const f of mine) {
              expect(f.line).toBeGreaterThan(0);
              expect(f.fix.length).toBeGreaterThan(10);
            }
          });
        });
        passes.forEach((fixture, i) => {
          if (!fixture[form]) return;
          it(`passes ${form} fixture ${i + 1}`, async () => {
            const { mine } = await findingsOf(rule, fixture, form);
            expect(mine).toEqual([]);
          });
        });
      }
    });
  }
});

describe("what the findings say", () => {
  const of = async (rule: string, fixture: Fixture, form: "ts" | "sql" = "sql") => (await findingsOf(rule, fixture, form)).mine;

  it("a statement that does not parse is reported at its line, and the statements around it are still checked", async () => {
    const { all } = await findingsOf("sql-syntax", { sql: "ALTER TABLE products ADD COLUMN cc char(2);\nALTER TABLE products ADD COLUMN;\nALTER TABLE products ADD COLUMN pim_id varchar(64);" }, "sql");
    const at = (rule: string) => all.findings.filter((f) => f.rule === rule && f.revision === "002").map((f) => f.line);
    expect(at("sql-syntax")).toEqual([7]);
    expect(at("char-type")).toEqual([6]);
    expect(at("varchar-length")).toEqual([8]);
  });

  it("a statement that does not parse after a blank line is reported at its own line and column, not the line before", async () => {
    const { all } = await findingsOf("sql-syntax", { sql: "CREATE TABLE tags (id bigint PRIMARY KEY);\n\n  CREAT INDEX ix ON products (sku);" }, "sql");
    const [f] = all.findings.filter((x) => x.rule === "sql-syntax" && x.revision === "002");
    expect([f.line, f.column]).toEqual([8, 3]);
    expect(f.message).toContain('near "CREAT"');
  });

  it("findings carry the line and column of the statement's first token, and the rule's page", async () => {
    const sql = await of("char-type", { sql: "SELECT 1; ALTER TABLE products ADD COLUMN cc char(2);\n    ALTER TABLE products ADD COLUMN dd char(3);" });
    expect(sql.map((f) => [f.line, f.column])).toEqual([[6, 11], [7, 5]]);
    expect(sql[0].docs).toBe("docs/checks/char-type.md");
    const ts = await of("char-type", { ts: `op.execute("SELECT 1");\n      op.addColumn("products", { name: "cc", type: "char(2)" });` }, "ts");
    expect(ts.map((f) => [f.line, f.column])).toEqual([[10, 7]]);
  });

  it("two bad statements in one op.execute are two findings, and the good one between them is checked", async () => {
    const { all } = await findingsOf("sql-syntax", { ts: `op.execute("ALTER TABLE products ADD COLUMN; ALTER TABLE products ADD COLUMN cc char(2); SELECT FROM WHERE;");` }, "ts");
    expect(all.findings.filter((f) => f.rule === "sql-syntax" && f.revision === "002")).toHaveLength(2);
    expect(all.findings.some((f) => f.rule === "char-type" && f.revision === "002")).toBe(true);
  });

  it("an EXCLUDE constraint is reported once, by exclusion-constraint, and not told to use USING INDEX, which PostgreSQL does not allow for it", async () => {
    const fixture = { sql: "ALTER TABLE products ADD CONSTRAINT no_overlap EXCLUDE USING gist (name WITH =);" };
    const [f] = await of("exclusion-constraint", fixture);
    expect(f.message).toMatch(/exclusion constraint/);
    expect(f.fix).not.toMatch(/USING INDEX/);
    expect(await of("unique-constraint-without-index", fixture)).toEqual([]);
  });

  it("ON DELETE SET NULL on a NOT NULL column is reported: the first delete of a parent would fail", async () => {
    const [f] = await of("foreign-key-on-delete", { sql: "CREATE TABLE kids (id bigint PRIMARY KEY, parent_id uuid NOT NULL REFERENCES parents ON DELETE SET NULL);" });
    expect(f.message).toMatch(/SET NULL on parent_id, which is NOT NULL/);
    const [ts] = await of("foreign-key-on-delete", { ts: `op.addColumn("products", { name: "parent_id", type: "uuid", nullable: false, serverDefault: "gen_random_uuid()", references: { table: "parents", onDelete: "SET NULL" } });` }, "ts");
    expect(ts.message).toMatch(/NOT NULL/);
    expect(await of("foreign-key-on-delete", { sql: "CREATE TABLE kids (id bigint PRIMARY KEY, parent_id uuid REFERENCES parents ON DELETE SET NULL);" })).toEqual([]);
  });

  it("DROP INDEX locks the index's table, not a table named like the index", async () => {
    const [unknown] = await of("lock-timeout", { sql: "DROP INDEX ix_old;", config: NO_LOCK_TIMEOUT });
    expect(unknown.message).toContain("the table of index ix_old");
    const [known] = await of("lock-timeout", { sql: "CREATE INDEX ix_sku ON products (sku);\nDROP INDEX ix_sku;", config: NO_LOCK_TIMEOUT });
    expect(known.message).toContain("ACCESS EXCLUSIVE lock on products ");
  });

  it("SET LOCAL in a non-transactional migration is named as having no effect", async () => {
    const [f] = await of("lock-timeout", { sql: "SET LOCAL lock_timeout = '5s';\nALTER TABLE products ADD COLUMN note text;", sqlHeader: "-- sluice:transactional false", config: NO_LOCK_TIMEOUT });
    expect(f.message).toMatch(/SET LOCAL at line 6 has no effect/);
    expect(f.fix).toMatch(/not SET LOCAL/);
  });

  it("a default calling a known volatile function says so; an unknown function is reported as undecidable", async () => {
    const [known] = await of("volatile-default", { sql: "ALTER TABLE products ADD COLUMN token uuid DEFAULT gen_random_uuid();" });
    expect(known.message).toMatch(/rewrites the whole table.*gen_random_uuid\(\), which is VOLATILE/);
    const [unknown] = await of("volatile-default", { sql: "ALTER TABLE products ADD COLUMN code text DEFAULT app.next_code();" });
    expect(unknown.message).toMatch(/may rewrite.*cannot tell whether that is VOLATILE/);
  });

  it("Squawk's ignore comments acknowledge the mapped rules, per statement and per file, with the comment as the reason", async () => {
    const statement = await findingsOf("index-not-concurrent", { sql: "-- squawk-ignore require-concurrent-index-creation, ban-char-field\nCREATE INDEX ix_sku ON products (sku);\nCREATE INDEX ix_name ON products (name);" }, "sql");
    expect(statement.mine.map((f) => f.line)).toEqual([8]);
    expect(statement.all.suppressed.filter((f) => f.rule === "index-not-concurrent").map((f) => [f.line, f.reason])).toEqual([[7, "acknowledged by -- squawk-ignore require-concurrent-index-creation"]]);
    const file = await findingsOf("index-not-concurrent", { sqlHeader: "-- squawk-ignore-file require-concurrent-index-creation", sql: "CREATE INDEX ix_sku ON products (sku);\nALTER TABLE products ADD COLUMN cc char(2);" }, "sql");
    expect(file.mine).toEqual([]);
    expect(file.all.findings.filter((f) => f.rule === "char-type" && f.revision === "002")).toHaveLength(1);
    const ts = await findingsOf("reindex-not-concurrent", { ts: `op.execute("-- squawk-ignore-file\\nREINDEX TABLE products");` }, "ts");
    expect(ts.mine).toEqual([]);
    // A Squawk rule that is not this hazard acknowledges nothing here.
    const other = await findingsOf("index-not-concurrent", { sql: "-- squawk-ignore ban-drop-column\nCREATE INDEX ix_sku ON products (sku);" }, "sql");
    expect(other.mine).toHaveLength(1);
  });

  it("int-key advises an identity only for a generated key, plain bigint for a key column that references another table", async () => {
    const [own] = await of("int-key", { sql: "CREATE TABLE tags (id integer PRIMARY KEY);" });
    expect(own.fix).toContain("GENERATED ALWAYS AS IDENTITY");
    const joined = await of("int-key", { sql: "CREATE TABLE tag_links (tag_id integer REFERENCES tags ON DELETE CASCADE, product_id integer, PRIMARY KEY (tag_id, product_id), FOREIGN KEY (product_id) REFERENCES products ON DELETE CASCADE);" });
    expect(joined).toHaveLength(2);
    for (const f of joined) expect(f.fix).not.toContain("IDENTITY");
  });

  it("int-key writes 'an integer key'", async () => {
    const [f] = await of("int-key", { ts: `op.createTable("tags", [{ name: "id", type: "integer", primaryKey: true }]);` }, "ts");
    expect(f.message).toContain("is an integer key");
  });
});
