// The benchmark schema of bench/introspect/schema.mjs as a Drizzle (pg-core)
// module. Constraint and index names are PostgreSQL's defaults for the SQL
// version, so a database created from either compares equal.
import { ENUMS, ENUM_VALUES, benchTables, enumName } from "../introspect/schema.mjs";

/**
 * The source of `schema.ts` for `count` tables; `extraColumn` adds one
 * nullable text column to one table (`{ table: "t1000", column: "note" }`).
 */
export function drizzleSchema(count, extraColumn) {
  const out = [
    `import { sql } from "drizzle-orm";`,
    `import { pgTable, pgEnum, bigint, text, varchar, jsonb, numeric, boolean, timestamp, index, uniqueIndex, foreignKey } from "drizzle-orm/pg-core";`,
    "",
  ];
  for (let e = 0; e < ENUMS; e++) out.push(`export const ${enumName(e)} = pgEnum("${enumName(e)}", [${ENUM_VALUES.map((v) => `"${v}"`).join(", ")}]);`);
  for (const t of benchTables(count)) {
    const extra = extraColumn?.table === t.name ? `\n  ${extraColumn.column}: text("${extraColumn.column}"),` : "";
    const config = [];
    if (t.parent) config.push(`foreignKey({ name: "${t.name}_parent_id_fkey", columns: [t.parent_id], foreignColumns: [${t.parent}.id] })`);
    if (t.owner) config.push(`foreignKey({ name: "${t.name}_owner_id_fkey", columns: [t.owner_id], foreignColumns: [${t.owner}.id] }).onDelete("cascade")`);
    config.push(`index("${t.name}_name_idx").on(t.name)`);
    config.push(
      t.codeUnique ? `uniqueIndex("${t.name}_code_uq").on(t.code).where(sql\`code IS NOT NULL\`)` : `index("${t.name}_created_idx").on(t.created_at.desc().nullsFirst())`,
    );
    out.push(`
export const ${t.name} = pgTable("${t.name}", {
  id: bigint("id", { mode: "number" }).generatedByDefaultAsIdentity().primaryKey(),
  parent_id: bigint("parent_id", { mode: "number" }),
  owner_id: bigint("owner_id", { mode: "number" }),
  status: ${t.status}("status").notNull().default("draft"),
  name: text("name").notNull(),
  code: varchar("code", { length: 32 }),
  data: jsonb("data"),
  amount: numeric("amount", { precision: 12, scale: 2 }).notNull().default(sql\`0\`),
  flag: boolean("flag").notNull().default(false),
  created_at: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),${extra}
}, (t) => [
  ${config.join(",\n  ")},
]);`);
  }
  return `${out.join("\n")}\n`;
}
