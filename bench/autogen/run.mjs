#!/usr/bin/env node
// Autogenerate benchmark: the 2,000-table schema of bench/introspect as a
// Drizzle model, a server database at head with it (a Sluice project whose one
// migration creates it, applied), then one column added to the model:
// `sluice revision --autogenerate`, `sluice diff`, and `drizzle-kit generate`
// (given its snapshot of the original model, so it too writes only the column).
// Wall clock and peak RSS of each process, median of RUNS, runs interleaved.
// Every timed process sees a model edited since the one before it (a new
// column name each time), so jiti's cache of the model file never helps.
// Sluice keeps the compiled model table by table in .sluice/cache, as
// drizzle-kit keeps its snapshot: both are made by an untimed run on the
// original model. A last row times `sluice diff` with that cache deleted.
//
//   npm run bench:autogen [-- postgres://user@host:5432/db]
//
// The URL (argument or SLUICE_BENCH_PG_URL) names a database to connect to for
// CREATE DATABASE; the benchmark creates its own database there and drops it.
// Files go to bench/out/autogen (git-ignored).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { measure, median } from "../measure.mjs";
import { ENUMS, benchTables, enumName, schemaStatements } from "../introspect/schema.mjs";
import { drizzleSchema } from "./drizzle-schema.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const adminUrl = process.argv[2] ?? process.env.SLUICE_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 3);
const work = path.join(root, "bench", "out", "autogen");
const project = path.join(work, "project");
const peer = path.join(work, "drizzle-kit");
const pristinePeer = path.join(work, "drizzle-kit-snapshot");
const sluiceBin = path.join(root, "bin", "sluice.js");
const drizzleBin = path.join(root, "node_modules", "drizzle-kit", "bin.cjs");
// jiti keeps its compiled-file cache under the temp folder; keep Sluice's inside the work folder.
const env = { ...process.env, TMPDIR: path.join(work, "tmp") };
const middle = `t${String(Math.floor(TABLES / 2)).padStart(4, "0")}`;
const dbName = `sluice_bench_autogen_${process.pid}`;

function dbUrl(name) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
const shown = (url) => url.replace(/:[^:@/]*@/, ":***@");

async function admin(sql) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

/** The Sluice project: the model, and one migration that creates the same schema, not in a transaction (too many locks for one). */
function writeProject() {
  fs.mkdirSync(path.join(project, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(project, "sluice.config.mjs"), 'export default { schema: { drizzle: "./schema.ts" } };\n');
  fs.writeFileSync(path.join(project, "schema.ts"), drizzleSchema(TABLES));
  const header = ["-- sluice:revision 001", "-- sluice:down-revision none", "-- sluice:message create schema", "-- sluice:transactional false", "-- sluice:upgrade"];
  const downgrade = [
    `DROP TABLE ${benchTables(TABLES).map((t) => t.name).join(", ")};`,
    `DROP TYPE ${Array.from({ length: ENUMS }, (_, e) => enumName(e)).join(", ")};`,
  ];
  const text = [...header, ...schemaStatements(TABLES), "-- sluice:downgrade", ...downgrade].join("\n");
  fs.writeFileSync(path.join(project, "migrations", "001_create_schema.sql"), `${text}\n`);
  fs.mkdirSync(peer, { recursive: true });
  fs.writeFileSync(path.join(peer, "schema.ts"), drizzleSchema(TABLES));
}

const sluice = (args, opts = {}) => measure(process.execPath, [sluiceBin, "--url", dbUrl(dbName), ...args], { cwd: project, env, ...opts });
const drizzleKit = (name) =>
  measure(process.execPath, [drizzleBin, "generate", "--dialect", "postgresql", "--schema", "./schema.ts", "--out", "./drizzle", "--name", name], { cwd: peer });

/** Adds `column` to the middle table of both copies of the model. */
function editModel(column) {
  const source = drizzleSchema(TABLES, { table: middle, column });
  fs.writeFileSync(path.join(project, "schema.ts"), source);
  fs.writeFileSync(path.join(peer, "schema.ts"), source);
}

function check(ok, what) {
  if (!ok) throw new Error(`Check failed: ${what}`);
}

/** `sluice revision --autogenerate`: the file it writes holds exactly one op, the addColumn; removed again after. */
function sluiceRevision(column) {
  const m = sluice(["revision", "--autogenerate", "-m", `add ${column}`, "--json"]);
  const result = JSON.parse(m.stdout);
  const file = path.join(project, result.written.file);
  const upgrade = fs.readFileSync(file, "utf8").split(/downgrade\(op\)/)[0];
  const ops = upgrade.match(/\bop\.\w+\(/g) ?? [];
  check(ops.length === 1 && upgrade.includes(`op.addColumn("${middle}", { name: "${column}"`), `one addColumn in ${result.written.file}, found ${ops.join(" ")}`);
  fs.rmSync(file);
  return m;
}

/** `sluice diff`: exit 1 and exactly the one new column. */
function sluiceDiff(column) {
  const m = sluice(["diff", "--json"], { ok: [1] });
  const result = JSON.parse(m.stdout);
  check(result.differences.length === 1 && result.changes.length === 1 && result.changes[0].includes(column), `diff reports only ${column}: ${m.stdout.slice(0, 500)}`);
  return m;
}

/** `drizzle-kit generate` from its snapshot of the original model: one new file with one ADD COLUMN. */
function peerGenerate(column) {
  fs.rmSync(peer + "/drizzle", { recursive: true, force: true });
  fs.cpSync(pristinePeer, path.join(peer, "drizzle"), { recursive: true });
  const m = drizzleKit(`add_${column}`);
  const file = fs.readdirSync(path.join(peer, "drizzle")).find((f) => f.endsWith(`_add_${column}.sql`));
  check(file !== undefined, `drizzle-kit wrote a migration: ${m.stdout.slice(-500)}`);
  const sql = fs.readFileSync(path.join(peer, "drizzle", file), "utf8");
  const statements = sql.split("--> statement-breakpoint").filter((s) => s.trim());
  check(statements.length === 1 && /ADD COLUMN "?[a-z_0-9]+"? text/i.test(statements[0]) && sql.includes(column), `drizzle-kit wrote one ADD COLUMN: ${sql.slice(0, 500)}`);
  return m;
}

const main = async () => {
  if (!fs.existsSync(path.join(root, "dist", "cli", "main.js"))) throw new Error("Run `npm run build` first (`npm run bench:autogen` does).");
  const server = (await admin("SHOW server_version")).rows[0].server_version;
  const loadBefore = os.loadavg()[0];
  console.log(`Server: ${shown(adminUrl)} (PostgreSQL ${server}); ${TABLES} tables; median of ${RUNS} runs; 1-minute load average ${loadBefore.toFixed(2)}.`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  writeProject();
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${dbName}`);
  try {
    console.log("Applying the chain (one migration creating the schema) …");
    const up = sluice(["upgrade"]);
    console.log(`  sluice upgrade: ${(up.ms / 1000).toFixed(1)} s`);
    const clean = sluice(["diff", "--json"]);
    check(!JSON.parse(clean.stdout).drift, "the database at head has no drift from the original model");
    console.log(`  sluice diff before the edit: no drift (${clean.ms.toFixed(0)} ms; the compiled model is now in .sluice/cache)`);
    drizzleKit("create_schema");
    fs.cpSync(path.join(peer, "drizzle"), pristinePeer, { recursive: true });
    console.log("  drizzle-kit generate on the original model: snapshot written");

    const rows = { revision: [], diff: [], drizzle: [] };
    for (let run = 0; run < RUNS; run++) {
      editModel(`note_r${run}`);
      rows.revision.push(sluiceRevision(`note_r${run}`));
      editModel(`note_d${run}`);
      rows.diff.push(sluiceDiff(`note_d${run}`));
      editModel(`note_k${run}`);
      rows.drizzle.push(peerGenerate(`note_k${run}`));
      console.log(`  run ${run + 1}: revision ${rows.revision[run].ms.toFixed(0)} ms, diff ${rows.diff[run].ms.toFixed(0)} ms, drizzle-kit ${rows.drizzle[run].ms.toFixed(0)} ms`);
    }
    const cold = [];
    for (let run = 0; run < COLD_RUNS; run++) {
      fs.rmSync(path.join(project, ".sluice", "cache"), { recursive: true, force: true });
      editModel(`note_c${run}`);
      cold.push(sluiceDiff(`note_c${run}`));
      console.log(`  no cache, run ${run + 1}: diff ${cold[run].ms.toFixed(0)} ms`);
    }
    const loadAfter = os.loadavg()[0];
    const summary = (label, ms) => ({
      label,
      ms: median(ms.map((r) => r.ms)),
      min: Math.min(...ms.map((r) => r.ms)),
      rss: Math.max(...ms.map((r) => r.rssMb)),
      runs: ms.length,
    });
    const table = [
      summary("`sluice revision --autogenerate -m …`", rows.revision),
      summary("`sluice diff`", rows.diff),
      summary("`drizzle-kit generate` (peer)", rows.drizzle),
      ...(COLD_RUNS ? [summary("`sluice diff`, no compiled-model cache (first run in a checkout)", cold)] : []),
    ];
    console.log(`\n1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after. Node ${process.version}, PostgreSQL ${server}, ${os.cpus().length} CPUs.\n`);
    console.log("| Measurement | Median | Min | Peak RSS | Runs |");
    console.log("|---|---:|---:|---:|---:|");
    for (const r of table) console.log(`| ${r.label} | ${(r.ms / 1000).toFixed(2)} s | ${(r.min / 1000).toFixed(2)} s | ${r.rss.toFixed(0)} MB | ${r.runs} |`);
    const [rev, dif, kit, none] = table;
    const verdict = (ok) => (ok ? "**met**" : "**missed**");
    console.log(
      `\nTargets: under 3 s end to end — revision ${(rev.ms / 1000).toFixed(2)} s ${verdict(rev.ms < 3000)}, diff ${(dif.ms / 1000).toFixed(2)} s ${verdict(dif.ms < 3000)}; ` +
        `faster than drizzle-kit generate (${(kit.ms / 1000).toFixed(2)} s) — ${verdict(rev.ms < kit.ms && dif.ms < kit.ms)}; ` +
        `under 500 MB — ${verdict(rev.rss < 500 && dif.rss < 500)} (${rev.rss.toFixed(0)} and ${dif.rss.toFixed(0)} MB).`,
    );
    if (none) {
      console.log(
        `Without the compiled-model cache: diff ${(none.ms / 1000).toFixed(2)} s — under 3 s ${verdict(none.ms < 3000)}, faster than drizzle-kit ${verdict(none.ms < kit.ms)}, under 500 MB ${verdict(none.rss < 500)} (${none.rss.toFixed(0)} MB).`,
      );
    }
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
};

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
