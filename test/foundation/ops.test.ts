import { describe, expect, it } from "vitest";
import { openForDescribe, targets } from "../support/databases.js";
import { renderOp, reverseOps, recordOps, type Op, type Db } from "../../src/index.js";
import { quoteIdent } from "../../src/ops/quote.js";
import { introspect } from "../../src/schema/introspect.js";

/** A catalog digest: enough to tell whether a reverse restored the structure. */
async function catalog(db: Db): Promise<string[]> {
  const r = await db.query<{ line: string }>(`
    SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS line
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
     WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
    UNION ALL
    SELECT 'idx ' || indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
     WHERE c.relnamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname
    ORDER BY 1`);
  return r.rows.map((x) => x.line);
}

async function apply(db: Db, ops: readonly Op[]) {
  for (const op of ops) for (const sql of renderOp(op)) await db.exec(sql);
}

/** Every op the seed's "Common Patterns" needs, recorded through the `op` builder. */
function seedPatterns(): Op[] {
  const { op, ops } = recordOps();
  op.createEnum("mediaassettype", ["image", "video"]);
  op.createTable("parents", [{ name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" }]);
  op.createTable("tablename", [
    { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
    { name: "existing_field", type: "text" },
    { name: "kind", type: "mediaassettype", nullable: false, serverDefault: "'image'" },
  ]);
  op.addColumn("tablename", { name: "new_field", type: "varchar(200)", nullable: true });
  op.addColumn("tablename", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
  op.addColumn("tablename", { name: "data", type: "jsonb", nullable: true });
  op.addColumn("tablename", { name: "parent_id", type: "uuid", nullable: true, references: { table: "parents", column: "id", onDelete: "CASCADE" } });
  op.addColumn("tablename", { name: "pim_id", type: "text", nullable: true });
  op.createIndex("uq_tablename_pim_id", "tablename", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
  op.createIndex("ix_tablename_lower", "tablename", [{ expression: "lower(existing_field)" }], { method: "btree" });
  op.alterColumn("tablename", "new_field", { type: "text", existing: { type: "varchar(200)" } });
  op.alterColumn("tablename", "existing_field", { serverDefault: "'x'", existing: { serverDefault: null } });
  op.renameColumn("tablename", "existing_field", "old_field");
  op.createUniqueConstraint("uq_tablename_data", "tablename", ["new_field"]);
  op.createCheckConstraint("ck_tablename_pim", "tablename", "char_length(pim_id) > 0");
  op.createTable("children", [{ name: "id", type: "bigint", identity: "always", primaryKey: true }, { name: "tablename_id", type: "uuid" }]);
  op.createForeignKey("fk_children_tablename", "children", ["tablename_id"], "tablename", ["id"], { onDelete: "SET NULL" });
  op.renameTable("children", "kids");
  op.execute("UPDATE tablename SET new_field = old_field WHERE new_field IS NULL", { reverseSql: "SELECT 1" });
  return ops;
}

for (const t of targets) {
  describe(`ops on ${t.name}`, () => {
    const open = openForDescribe(t);

    it("renders every seed pattern to SQL PostgreSQL accepts, and the reversed ops restore the catalog", async () => {
      const before = await catalog(open.db);
      const ops = seedPatterns();
      await apply(open.db, ops);
      const after = await catalog(open.db);
      expect(after).toContain("con fk_children_tablename FOREIGN KEY (tablename_id) REFERENCES tablename(id) ON DELETE SET NULL");
      expect(after.some((l) => l.startsWith("idx uq_tablename_pim_id") && l.includes("WHERE (pim_id IS NOT NULL)"))).toBe(true);
      const reversed = reverseOps(ops);
      if (!("ops" in reversed)) throw new Error(`irreversible: ${reversed.irreversible.kind}`);
      await apply(open.db, reversed.ops);
      expect(await catalog(open.db)).toEqual(before);
    });

    it("adds enum values idempotently, before and after existing ones", async () => {
      const { op, ops } = recordOps();
      op.createEnum("status", ["draft", "done"]);
      op.addEnumValue("status", "review", { before: "done" });
      op.addEnumValue("status", "review");
      op.addEnumValue("status", "archived", { after: "done" });
      await apply(open.db, ops);
      expect(await catalog(open.db)).toContain("enum status draft,review,done,archived");
      await open.db.exec("DROP TYPE status");
    });

    it("quotes identifiers that need it: mixed case, spaces and reserved words", async () => {
      const { op, ops } = recordOps();
      op.createEnum("Mood", ["ok"]);
      op.createTable("Order Items", [
        { name: "user", type: "text" },
        { name: "Select", type: "Mood" },
        { name: "group", type: "int", nullable: false, serverDefault: 0 },
      ]);
      op.createIndex("Order Items_user_idx", "Order Items", ["user", "group"]);
      op.renameColumn("Order Items", "user", "from");
      await apply(open.db, ops);
      const cols = await catalog(open.db);
      expect(cols).toContain('col Order Items.from text false ');
      expect(cols).toContain('col Order Items.Select "Mood" false ');
      expect(quoteIdent("order")).toBe('"order"');
      expect(quoteIdent("name")).toBe("name");
      expect(quoteIdent('we"ird')).toBe('"we""ird"');
      const back = reverseOps(ops);
      if (!("ops" in back)) throw new Error("irreversible");
      await apply(open.db, back.ops);
      expect((await catalog(open.db)).some((l) => l.includes("Order Items"))).toBe(false);
    });

    it("row-level security, policies and a role: created, read back as written, and reversed away", async () => {
      const role = `sluice_ops_${Math.random().toString(36).slice(2, 8)}`;
      const { op, ops } = recordOps();
      op.createTable("docs", [{ name: "id", type: "int", primaryKey: true }, { name: "owner", type: "text" }]);
      op.createRole(role, { createDb: true });
      op.enableRowLevelSecurity("docs");
      op.enableRowLevelSecurity("docs", { force: true });
      op.createPolicy("docs_owner", "docs", { as: "restrictive", for: "update", to: [role, "current_user"], using: "owner = current_user", withCheck: "owner IS NOT NULL" });
      op.createPolicy("docs_read", "docs", { for: "select", using: "true" });
      await apply(open.db, ops);
      const s = await introspect(open.db, { roles: [role] });
      const docs = s.tables.find((t) => t.name === "docs")!;
      expect(docs.rowSecurity).toEqual({ enabled: true, forced: true });
      expect(docs.policies).toEqual([
        { name: "docs_owner", permissive: false, command: "update", roles: [role, "postgres"].sort(), using: "owner = CURRENT_USER", withCheck: "owner IS NOT NULL" },
        { name: "docs_read", permissive: true, command: "select", roles: ["public"], using: "true", withCheck: null },
      ]);
      expect(s.roles).toEqual([{ name: role, createDb: true, createRole: false, inherit: true }]);
      const back = reverseOps(ops);
      if (!("ops" in back)) throw new Error(`irreversible: ${back.irreversible.kind}`);
      await apply(open.db, back.ops);
      const after = await introspect(open.db, { roles: [role] });
      expect(after.tables.some((t) => t.name === "docs")).toBe(false);
      expect(after.roles).toEqual([]);
    });

    it("says which ops cannot be reversed", () => {
      const { op, ops } = recordOps();
      op.addColumn("t", { name: "c", type: "int" });
      op.dropColumn("t", "old");
      const r = reverseOps(ops);
      expect("irreversible" in r && r.irreversible.kind).toBe("dropColumn");
    });
  });
}
