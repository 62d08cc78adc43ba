import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import type { Db } from "../../src/db/index.js";
import { introspect, compareSchemas, type Schema } from "../../src/schema/index.js";
import { watchSchema } from "../../src/verify/snapshot.js";

const BASE = `
CREATE TYPE status AS ENUM ('draft', 'live');
CREATE SCHEMA other;
CREATE SEQUENCE product_no;
CREATE FUNCTION normalized(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)';
CREATE TABLE parents (id integer PRIMARY KEY, code text UNIQUE);
CREATE TABLE products (
  id integer PRIMARY KEY DEFAULT nextval('product_no'),
  name text NOT NULL CHECK (normalized(name) <> ''),
  status status NOT NULL DEFAULT 'draft',
  parent_id integer REFERENCES parents (id),
  parent_code text REFERENCES parents (code)
);
CREATE INDEX ix_products_name ON products (normalized(name));
CREATE TABLE untouched (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, status status);
CREATE VIEW live_products AS SELECT id, name FROM products WHERE status = 'live';
CREATE VIEW live_names AS SELECT name FROM live_products;
CREATE TABLE other.items (id integer PRIMARY KEY, parent_id integer REFERENCES parents (id));
`;

/**
 * Migrations that change a relation's description without touching it: each
 * is applied in a transaction, and the followed schema must equal a whole read.
 */
const steps: { what: string; sql: string }[] = [
  { what: "a referenced column renamed (foreign keys and views name it)", sql: "ALTER TABLE parents RENAME COLUMN code TO parent_code_x" },
  { what: "an enum type renamed (columns of that type)", sql: "ALTER TYPE status RENAME TO product_status" },
  { what: "a column of a view's table renamed", sql: "ALTER TABLE products RENAME COLUMN name TO title" },
  { what: "a sequence renamed (a default names it)", sql: "ALTER SEQUENCE product_no RENAME TO product_numbers" },
  { what: "a function renamed (a check and an index use it)", sql: "ALTER FUNCTION normalized(text) RENAME TO folded" },
  { what: "a referenced table renamed", sql: "ALTER TABLE parents RENAME TO owners" },
  { what: "a table moved to another schema", sql: "ALTER TABLE other.items SET SCHEMA public" },
  { what: "comments on a table, a column, a constraint and an index", sql: "COMMENT ON TABLE products IS 'p'; COMMENT ON COLUMN products.title IS 't'; COMMENT ON CONSTRAINT products_pkey ON products IS 'k'; COMMENT ON INDEX ix_products_name IS 'i'" },
  { what: "an identity column's sequence altered", sql: "ALTER TABLE untouched ALTER COLUMN id SET INCREMENT BY 5" },
  { what: "a table dropped with its dependents (cascade)", sql: "DROP TABLE owners CASCADE" },
  { what: "an enum value added, a table created and a view replaced", sql: "ALTER TYPE product_status ADD VALUE 'retired'; CREATE TABLE fresh (id integer PRIMARY KEY, s product_status); CREATE OR REPLACE VIEW live_products AS SELECT id, title AS name FROM products WHERE status = 'draft'" },
  { what: "an index dropped", sql: "DROP INDEX ix_products_name" },
  { what: "a comment removed", sql: "COMMENT ON COLUMN products.title IS NULL" },
  { what: "a table renamed and one created under its old name", sql: "ALTER TABLE untouched RENAME TO kept; CREATE TABLE untouched (id integer)" },
];

for (const t of targets) {
  describe(`following the shadow's schema across migrations on ${t.name}`, () => {
    let tdb: TestDatabase;
    let db: Db;
    let schema: Schema;
    beforeAll(async () => {
      tdb = await t.create();
      db = await tdb.open();
      await db.exec(BASE);
      schema = await introspect(db, { schemas: ["public", "other"] });
    });
    afterAll(async () => {
      await db?.close();
      await tdb?.drop();
    });

    for (const s of steps) {
      it(`re-reads what ${s.what} changed, and matches a whole read`, async () => {
        const schemas = ["public", "other"];
        const watch = await watchSchema(db, schemas);
        await db.transaction(async (tx) => {
          await tx.exec(s.sql);
          await watch.observe(tx);
        });
        const followed = await watch.schemaAfter(db, schema);
        const whole = await introspect(db, { schemas });
        expect(compareSchemas(followed, whole).map((d) => d.text)).toEqual([]);
        expect(compareSchemas(schema, whole).length).toBeGreaterThan(0);
        schema = whole;
      });
    }
  });
}
