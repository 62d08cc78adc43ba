#!/usr/bin/env node
// Generates one chain of N migrations three ways, all with the same SQL:
//   <out>/sluice/       a Sluice project (sluice.config.ts + migrations/, mostly .ts, some .sql)
//   <out>/npm/          the same chain as node-pg-migrate SQL migrations
//   <out>/floor.sql     every upgrade statement concatenated, for `psql -1 -f` (the floor)
//
// The SQL for the .ts migrations is rendered by Sluice's own op renderer (from
// dist/), so all three apply exactly the statements Sluice sends.
//
// Usage: node bench/chain/generate.mjs [--count 1000] [--out bench/out/chain]

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "..", "..");

/** Revision id as Sluice numbers them: 3 digits, growing past 999. */
const rev = (i) => String(i).padStart(3, "0");
const table = (i) => `tbl_${String(i).padStart(4, "0")}`;

/**
 * The chain as data. Each migration is either
 *   { format: "ts", up: [[method, ...args]], down: [[method, ...args]] }  (op calls)
 *   { format: "sql", up: "SQL", down: "SQL" }
 * The mix cycles through five shapes, so 1 in 5 files is .sql:
 *   create a table with a uuid key, an enum column and a foreign key + index (ts)
 *   add a nullable column and a partial unique index on it (ts)
 *   add an enum value and a NOT NULL column with a server default (ts)
 *   create a table with an inline reference, an index and a comment via execute (ts)
 *   create a table, indexes and an enum value in plain SQL (sql)
 */
export function chainSpec(count) {
  const migrations = [];
  let last = null; // the most recently created table
  for (let i = 1; i <= count; i++) {
    const t = table(i);
    const m = { revision: rev(i), downRevision: i === 1 ? null : rev(i - 1) };
    if (i === 1) {
      Object.assign(m, {
        format: "ts",
        message: "item status enum and first table",
        up: [
          ["createEnum", "item_status", ["draft", "active", "archived"]],
          ["createTable", t, [
            { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
            { name: "name", type: "text", nullable: false },
            { name: "status", type: "item_status", nullable: false, serverDefault: "'draft'" },
            { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
          ]],
        ],
        down: [["dropTable", t], ["dropEnum", "item_status"]],
      });
      last = t;
    } else {
      switch (i % 5) {
        case 1:
          Object.assign(m, {
            format: "ts",
            message: `create ${t} with a foreign key to ${last}`,
            up: [
              ["createTable", t, [
                { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
                { name: "name", type: "text", nullable: false },
                { name: "status", type: "item_status", nullable: false, serverDefault: "'draft'" },
                { name: "payload", type: "jsonb" },
                { name: "parent_id", type: "uuid" },
                { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
              ]],
              ["createForeignKey", `fk_${t}_parent`, t, ["parent_id"], last, ["id"], { onDelete: "CASCADE" }],
              ["createIndex", `ix_${t}_parent_id`, t, ["parent_id"]],
            ],
            down: [["dropTable", t]],
          });
          last = t;
          break;
        case 2:
          Object.assign(m, {
            format: "ts",
            message: `add code_${i} to ${last} with a partial unique index`,
            up: [
              ["addColumn", last, { name: `code_${i}`, type: "varchar(64)", nullable: true }],
              ["createIndex", `uq_${last}_code_${i}`, last, [`code_${i}`], { unique: true, where: `code_${i} IS NOT NULL` }],
            ],
            down: [["dropIndex", `uq_${last}_code_${i}`], ["dropColumn", last, `code_${i}`]],
          });
          break;
        case 3:
          Object.assign(m, {
            format: "ts",
            message: `enum value s_${i} and flag_${i} on ${last}`,
            up: [
              ["addEnumValue", "item_status", `s_${i}`, { ifNotExists: true }],
              ["addColumn", last, { name: `flag_${i}`, type: "boolean", nullable: false, serverDefault: false }],
            ],
            down: [["dropColumn", last, `flag_${i}`]],
          });
          break;
        case 4:
          Object.assign(m, {
            format: "ts",
            message: `create ${t} referencing ${last}`,
            up: [
              ["createTable", t, [
                { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
                { name: "owner_id", type: "uuid", nullable: false, references: { table: last, column: "id", onDelete: "CASCADE" } },
                { name: "label", type: "varchar(200)", nullable: false, serverDefault: "''" },
                { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
              ]],
              ["createIndex", `ix_${t}_owner_id`, t, ["owner_id"]],
              ["execute", `COMMENT ON TABLE ${t} IS 'rows owned by ${last}'`],
            ],
            down: [["dropTable", t]],
          });
          last = t;
          break;
        case 0: {
          const up = [
            `CREATE TABLE ${t} (`,
            `  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),`,
            `  owner_id uuid NOT NULL REFERENCES ${last} (id) ON DELETE CASCADE,`,
            `  amount numeric(12,2) NOT NULL DEFAULT 0,`,
            `  tags text[] NOT NULL DEFAULT '{}',`,
            `  created_at timestamptz NOT NULL DEFAULT now()`,
            `);`,
            `CREATE INDEX ix_${t}_owner_id ON ${t} (owner_id);`,
            `CREATE INDEX ix_${t}_created_at ON ${t} (created_at DESC);`,
            `ALTER TYPE item_status ADD VALUE IF NOT EXISTS 'q_${i}';`,
          ].join("\n");
          Object.assign(m, {
            format: "sql",
            message: `create ${t} in SQL`,
            up,
            down: `DROP TABLE ${t};`,
          });
          last = t;
          break;
        }
      }
    }
    migrations.push(m);
  }
  return migrations;
}

const slug = (message) => message.toLowerCase().replace(/[^a-z0-9]+/g, "_").slice(0, 40).replace(/^_+|_+$/g, "");

function tsSource(m) {
  const calls = (list) => list.map(([method, ...args]) => `    op.${method}(${args.map((a) => JSON.stringify(a)).join(", ")});`).join("\n");
  return `import { defineMigration } from "sluice";

export default defineMigration({
  revision: ${JSON.stringify(m.revision)},
  downRevision: ${JSON.stringify(m.downRevision)},
  message: ${JSON.stringify(m.message)},
  upgrade(op) {
${calls(m.up)}
  },
  downgrade(op) {
${calls(m.down)}
  },
});
`;
}

function sqlSource(m) {
  return `-- sluice:revision ${m.revision}
-- sluice:down-revision ${m.downRevision ?? "none"}
-- sluice:message ${m.message}
-- sluice:upgrade
${m.up}
-- sluice:downgrade
${m.down}
`;
}

/** The statements of one direction of a migration, as Sluice renders them. */
function statementsOf(m, direction, sluice) {
  if (m.format === "sql") return [m[direction].trim().replace(/;$/, "")];
  const { op, ops } = sluice.recordOps();
  for (const [method, ...args] of m[direction]) op[method](...args);
  return ops.flatMap((o) => sluice.renderOp(o));
}

export async function generate({ count = 1000, out = path.join(repoRoot, "bench", "out", "chain") } = {}) {
  const sluice = await import(pathToFileURL(path.join(repoRoot, "dist", "index.js")).href);
  const spec = chainSpec(count);
  fs.rmSync(out, { recursive: true, force: true });
  const sluiceDir = path.join(out, "sluice");
  const sluiceMigrations = path.join(sluiceDir, "migrations");
  const npmMigrations = path.join(out, "npm", "migrations");
  fs.mkdirSync(sluiceMigrations, { recursive: true });
  fs.mkdirSync(npmMigrations, { recursive: true });
  fs.writeFileSync(
    path.join(sluiceDir, "sluice.config.ts"),
    `import { defineConfig } from "sluice";\n\nexport default defineConfig({ migrations: "./migrations" });\n`,
  );
  const floor = [];
  let statements = 0;
  const formats = { ts: 0, sql: 0 };
  for (const m of spec) {
    const name = `${m.revision}_${slug(m.message)}`;
    formats[m.format]++;
    fs.writeFileSync(path.join(sluiceMigrations, `${name}.${m.format}`), m.format === "ts" ? tsSource(m) : sqlSource(m));
    const stmts = statementsOf(m, "up", sluice);
    const upSql = stmts.map((s) => `${s};`).join("\n");
    statements += m.format === "sql" ? m.up.split(";").filter((s) => s.trim()).length : stmts.length;
    floor.push(`-- ${m.revision}: ${m.message}\n${upSql}\n`);
    // node-pg-migrate orders files by their numeric prefix; pad to 4 so 1000 sorts last.
    const downSql = statementsOf(m, "down", sluice).map((s) => `${s};`).join("\n");
    fs.writeFileSync(
      path.join(npmMigrations, `${String(Number(m.revision)).padStart(4, "0")}_${slug(m.message)}.sql`),
      `-- Up Migration\n${upSql}\n\n-- Down Migration\n${downSql}\n`,
    );
  }
  fs.writeFileSync(path.join(out, "floor.sql"), floor.join("\n"));
  return { out, sluiceDir, npmDir: path.join(out, "npm"), floorFile: path.join(out, "floor.sql"), count, formats, statements };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { benchArgs } = await import("../args.mjs");
  const { opt } = benchArgs();
  const r = await generate({ count: Number(opt("count", "1000")), out: path.resolve(opt("out", path.join(repoRoot, "bench", "out", "chain"))) });
  console.log(`${r.count} migrations (${r.formats.ts} .ts, ${r.formats.sql} .sql, ${r.statements} upgrade statements) in ${path.relative(process.cwd(), r.out)}`);
}
