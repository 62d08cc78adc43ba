#!/usr/bin/env node
// Chain benchmark: a generated chain of N migrations applied to a real server.
//   (a) fresh `sluice upgrade head` against `psql -1 -f` of the same SQL
//       concatenated (the floor) and against node-pg-migrate `up`;
//   (b) `sluice current` on the up-to-date database against `node -e 0`.
// Every applying run gets its own freshly created database and starts right
// after a CHECKPOINT; the databases are dropped only at the end. Dropping a
// database of 1,000 tables just before a run slowed that run by up to a second
// (the server and the file system are still busy removing its files), which
// made whichever tool happened to follow a large drop look slow.
// Times are wall clock around each child process (process.hrtime).
//
// Usage: npm run bench:chain [-- --count 1000 --runs 5 --current-runs 10 --url postgres://… --write]
//   --url      the server (a maintenance database to connect to); default
//              BENCH_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres
//   --write    also record the table in bench/RESULTS.md

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, repoRoot } from "./generate.mjs";
import { benchArgs } from "../args.mjs";
import { benchCommand, recordSection } from "../results.mjs";
import { measure, median } from "../measure.mjs";

const { args, opt, flag } = benchArgs();

const count = Number(opt("count", "1000"));
const runs = Number(opt("runs", "5"));
const currentRuns = Number(opt("current-runs", "10"));
const baseUrl = opt("url", process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const work = path.join(repoRoot, "bench", "out", "chain");
const sluiceBin = path.join(repoRoot, "bin", "sluice.js");
const npmBin = path.join(repoRoot, "node_modules", "node-pg-migrate", "bin", "node-pg-migrate.js");
// jiti keeps its compiled-file cache under the temp folder; give Sluice its own so "cold" is really cold.
const sluiceTmp = path.join(work, "tmp");

if (!fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))) {
  console.error("dist/ is missing: run `npm run build` first (`npm run bench:chain` does).");
  process.exit(2);
}

const { default: pg } = await import("pg");
const admin = new pg.Client({ connectionString: baseUrl, application_name: "sluice-bench" });
await admin.connect();
const serverVersion = (await admin.query("SHOW server_version")).rows[0].server_version;

function dbUrl(name) {
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
const dbPrefix = `sluice_bench_${process.pid}`;
let dbSeq = 0;
const created = new Set();
async function freshDb(tag) {
  const name = `${dbPrefix}_${tag.toLowerCase()}_${++dbSeq}`;
  await admin.query(`CREATE DATABASE ${name}`);
  created.add(name);
  await admin.query("CHECKPOINT");
  return name;
}
async function dropDb(name) {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  created.delete(name);
}

/** Runs a command to completion (wall clock only, no /usr/bin/time in between); throws on a non-zero exit. */
function timed(cmd, argv, { cwd = repoRoot, env = {} } = {}) {
  return measure(cmd, argv, { cwd, env: { ...process.env, ...env }, time: false });
}

const node = process.execPath;
const sluiceEnv = { TMPDIR: sluiceTmp, DATABASE_URL: "" };
/** Removes every cache Sluice keeps for the chain: `.sluice/` and jiti's compiled files. */
function clearSluiceCaches() {
  fs.rmSync(path.join(gen.sluiceDir, ".sluice"), { recursive: true, force: true });
  fs.rmSync(sluiceTmp, { recursive: true, force: true });
  fs.mkdirSync(sluiceTmp, { recursive: true });
}
const tools = {
  psql: (db) => timed("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", gen.floorFile, dbUrl(db)]),
  // As right after cloning the project (a CI job): no cache at all. It leaves the caches the next row uses.
  sluiceCold: (db) => {
    clearSluiceCaches();
    return timed(node, [sluiceBin, "upgrade", "head", "--url", dbUrl(db)], { cwd: gen.sluiceDir, env: sluiceEnv });
  },
  sluice: (db) => timed(node, [sluiceBin, "upgrade", "head", "--url", dbUrl(db)], { cwd: gen.sluiceDir, env: sluiceEnv }),
  // The whole run in one transaction, like node-pg-migrate's default.
  sluiceSingle: (db) => timed(node, [sluiceBin, "upgrade", "head", "--single-transaction", "--url", dbUrl(db)], { cwd: gen.sluiceDir, env: sluiceEnv }),
  // Load + compile only: everything `upgrade` does before its first migration runs.
  sluiceOffline: (db) => timed(node, [sluiceBin, "upgrade", "head", "--sql", "--url", dbUrl(db)], { cwd: gen.sluiceDir, env: sluiceEnv }),
  npm: (db) => timed(node, [npmBin, "up", "-m", "migrations", "--no-verbose"], { cwd: gen.npmDir, env: { DATABASE_URL: dbUrl(db) } }),
  npmPerMigration: (db) =>
    timed(node, [npmBin, "up", "-m", "migrations", "--no-verbose", "--no-single-transaction"], { cwd: gen.npmDir, env: { DATABASE_URL: dbUrl(db) } }),
};

/** What a database holds after applying the chain: the same for every tool. */
async function shape(db) {
  const c = new pg.Client({ connectionString: dbUrl(db) });
  await c.connect();
  const r = await c.query(`SELECT
    (SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = 'public' AND k.relkind = 'r' AND k.relname LIKE 'tbl\\_%') AS tables,
    (SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = 'public' AND k.relkind = 'i' AND k.relname NOT LIKE 'sluice%' AND k.relname NOT LIKE 'pgmigrations%') AS indexes,
    (SELECT count(*) FROM pg_constraint WHERE contype = 'f') AS fks,
    (SELECT count(*) FROM pg_enum) AS enum_values`);
  await c.end();
  return Object.values(r.rows[0]).join("/");
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const log = (line) => process.stderr.write(`${line}\n`);

let gen;
const results = {};
const loadBefore = os.loadavg()[0];
let keepDb;
try {
  gen = await generate({ count, out: work });
  log(`Generated ${gen.count} migrations (${gen.formats.ts} .ts, ${gen.formats.sql} .sql; ${gen.statements} upgrade statements).`);
  fs.mkdirSync(sluiceTmp, { recursive: true });

  // (a) Fresh apply, every tool once per round, in this order.
  const shapes = {};
  for (const k of Object.keys(tools)) results[k] = [];
  for (let i = 0; i < runs; i++) {
    for (const k of Object.keys(tools)) {
      const db = await freshDb(k);
      const r = await tools[k](db);
      results[k].push(r.ms);
      if (k !== "sluiceOffline") shapes[k] ??= await shape(db);
      if (k === "sluice") keepDb = db;
      log(`run ${i + 1}/${runs} ${k}: ${fmt(r.ms)}`);
    }
  }
  const distinct = new Set(Object.values(shapes));
  if (distinct.size !== 1) throw new Error(`The tools left different schemas (tables/indexes/fks/enum values): ${JSON.stringify(shapes)}`);

  // (b) `sluice current` on the up-to-date database. Cold: no .sluice/ cache and no
  // compiled-file cache, as right after generating or cloning. Then warm runs.
  const current = () => timed(node, [sluiceBin, "current", "--json", "--url", dbUrl(keepDb)], { cwd: gen.sluiceDir, env: sluiceEnv });
  clearSluiceCaches();
  const cold = await current();
  const state = JSON.parse(cold.stdout.slice(cold.stdout.indexOf("{")));
  const head = String(count).padStart(3, "0");
  if (state.head !== head || state.pending.length !== 0 || state.current.join() !== head) {
    throw new Error(`sluice current did not report the database at head ${head}: ${cold.stdout.slice(0, 500)}`);
  }
  results.currentCold = [cold.ms];
  log(`sluice current, cold: ${fmt(cold.ms)}`);
  results.current = [];
  results.nodeNoop = [];
  for (let i = 0; i < currentRuns; i++) {
    results.nodeNoop.push((await timed(node, ["-e", "0"])).ms);
    results.current.push((await current()).ms);
  }
  log(`sluice current, warm: median ${fmt(median(results.current))}; node -e 0: median ${fmt(median(results.nodeNoop))}`);
} finally {
  for (const name of [...created]) await dropDb(name).catch(() => {});
  await admin.end();
}

// The table.
const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { median: median(v), min: Math.min(...v), n: v.length }]));
const floor = m.psql.median;
const ratio = (x) => `${(x / floor).toFixed(2)}×`;
const row = (label, r, rel) => `| ${label} | ${fmt(r.median)} | ${fmt(r.min)} | ${r.n} | ${rel} |`;
const upgradeRatio = m.sluice.median / floor;
const met = (ok) => (ok ? "met" : "**missed**");
const table = [
  `Chain: ${gen.count} migrations (${gen.formats.ts} \`.ts\` using the op builder, ${gen.formats.sql} \`.sql\`), ${gen.statements} upgrade statements: ` +
    "tables with uuid keys, foreign keys, plain and partial unique indexes, enum values, defaulted columns.",
  `Machine: Node ${process.version}, PostgreSQL ${serverVersion} on the same host, ${os.cpus().length} CPUs. Wall clock of each process; each apply on a freshly created database, right after a CHECKPOINT, databases dropped only at the end; runs interleaved. ` +
    `1-minute load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after (other work on the machine makes the server-bound rows noisy: compare minima too).`,
  "",
  "| Measurement | Median | Min | Runs | Relative |",
  "|---|---:|---:|---:|---:|",
  row("(a) `psql -1 -f` of the concatenated SQL (floor)", m.psql, "1.00× floor"),
  row("(a) `sluice upgrade head`", m.sluice, `${ratio(m.sluice.median)} floor`),
  row("(a) `sluice upgrade head --single-transaction` (one transaction for the run)", m.sluiceSingle, `${ratio(m.sluiceSingle.median)} floor`),
  row("(a) `sluice upgrade head`, no caches (as in a fresh clone)", m.sluiceCold, `${ratio(m.sluiceCold.median)} floor`),
  row("(a) of which load + compile: `sluice upgrade head --sql` (no apply)", m.sluiceOffline, `${ratio(m.sluiceOffline.median)} floor`),
  row("(a) node-pg-migrate `up` (defaults: one transaction for the run)", m.npm, `${ratio(m.npm.median)} floor`),
  row("(a) node-pg-migrate `up --no-single-transaction` (one per migration)", m.npmPerMigration, `${ratio(m.npmPerMigration.median)} floor`),
  row("(b) `node -e 0`", m.nodeNoop, "—"),
  row("(b) `sluice current`, warm", m.current, `+${fmt(m.current.median - m.nodeNoop.median)} over node`),
  row("(b) `sluice current`, cold (no caches)", m.currentCold, `+${fmt(m.currentCold.median - m.nodeNoop.median)} over node`),
  "",
  `Targets: (a) sluice at most 1.5× the floor: ${upgradeRatio.toFixed(2)}× — ${met(upgradeRatio <= 1.5)}; ` +
    `faster than node-pg-migrate: ${fmt(m.sluice.median)} vs ${fmt(m.npm.median)} — ${met(m.sluice.median < m.npm.median)}. ` +
    `(b) warm \`sluice current\` under 300 ms: ${fmt(m.current.median)} — ${met(m.current.median < 300)}.`,
].join("\n");

console.log(table);

if (flag("write")) {
  const command = benchCommand("bench:chain", args);
  const file = recordSection(`## Chain apply and current (issue 2)\n\nProduced by \`${command}\` (scripts in \`bench/chain/\`) on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n`);
  log(`Recorded in ${path.relative(process.cwd(), file)}.`);
}
