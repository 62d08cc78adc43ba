#!/usr/bin/env node
// Check benchmark: `sluice check` side by side with Squawk on the same SQL.
// Generates N migration statements of mixed kinds (bench/check/generate.mjs)
// as a Sluice chain of `.sql` migrations and as one plain `.sql` file, then runs
// `sluice check --all --format json` on the chain and Squawk's binary
// (`squawk --reporter json`) on the file, interleaved, after one warm-up each.
// Reports wall clock (process.hrtime around each child) and peak RSS
// (/usr/bin/time when present), the findings of each, and every statement
// Squawk flags that Sluice passes silently, by Squawk rule.
// Squawk comes from the npm package `squawk-cli`, installed on demand into
// bench/out/squawk (never into package.json: its other-platform packages are
// missing from the lockfile's registry, which breaks `npm ci`).
//
// Usage: npm run bench:check [-- --statements 10000 --per-migration 50 --runs 5 --write]
//   --write    also record the table in bench/RESULTS.md

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, repoRoot } from "./generate.mjs";
import { benchArgs } from "../args.mjs";
import { measure, median } from "../measure.mjs";
import { benchCommand, recordSection } from "../results.mjs";

const { args, opt, flag } = benchArgs();
const statementsWanted = Number(opt("statements", "10000"));
const perMigration = Number(opt("per-migration", "50"));
const runs = Number(opt("runs", "5"));
const out = path.join(repoRoot, "bench", "out", "check");
const squawkDir = path.join(repoRoot, "bench", "out", "squawk");
const sluiceBin = path.join(repoRoot, "bin", "sluice.js");
const log = (line) => process.stderr.write(`${line}\n`);

if (!fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))) {
  console.error("dist/ is missing: run `npm run build` first (`npm run bench:check` does).");
  process.exit(2);
}

/** The native Squawk binary (linux-x64), installed on demand. */
function squawkBinary() {
  const bin = path.join(squawkDir, "node_modules", "@squawk-cli", `${process.platform}-${process.arch}`, "bin", "squawk");
  if (!fs.existsSync(bin)) {
    log("Installing squawk-cli into bench/out/squawk (not saved to package.json)…");
    fs.mkdirSync(squawkDir, { recursive: true });
    const r = spawnSync("npm", ["install", "--no-save", "--no-package-lock", "--prefix", squawkDir, "squawk-cli"], { stdio: "inherit" });
    if (r.status !== 0 || !fs.existsSync(bin)) {
      console.error(`Could not install squawk-cli for ${process.platform}-${process.arch} (npm exit ${r.status}).`);
      process.exit(2);
    }
  }
  return bin;
}

/** One process, without DATABASE_URL (check reads the chain, not a database); exit 1 is "found problems". */
function timed(cmd, argv, cwd) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return measure(cmd, argv, { cwd, env, ok: [0, 1] });
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

const loadBefore = os.loadavg()[0];
const squawk = squawkBinary();
const squawkVersion = spawnSync(squawk, ["--version"], { encoding: "utf8" }).stdout.trim();
const gen = generate(out, { statements: statementsWanted, perMigration });
log(`Generated ${gen.statements.length} statements in ${gen.migrations} migrations (${path.relative(repoRoot, gen.project)}) and ${path.relative(repoRoot, gen.sqlFile)}.`);

// Every statement checked: the findings Sluice keeps between runs (.sluice/cache/checks.json) are removed first, so the
// comparison with Squawk, which keeps none, is like for like. The cached run is reported on its own row.
const findingsCache = path.join(gen.project, ".sluice", "cache", "checks.json");
const sluiceCachedRun = () => timed(process.execPath, [sluiceBin, "check", "--all", "--format", "json"], gen.project);
const sluiceRun = () => {
  fs.rmSync(findingsCache, { force: true });
  return sluiceCachedRun();
};
const squawkRun = () => timed(squawk, ["--reporter", "json", gen.sqlFile], out);

// Warm-up (page cache, jiti's cache of the config), and the findings of each.
const sluiceFirst = sluiceRun();
const squawkFirst = squawkRun();
const sluiceJson = JSON.parse(sluiceFirst.stdout);
const squawkJson = JSON.parse(squawkFirst.stdout);

const results = { sluice: [], sluiceCached: [], squawk: [] };
const rss = { sluice: [], sluiceCached: [], squawk: [] };
const cpu = { sluice: [], sluiceCached: [], squawk: [] };
for (let i = 0; i < runs; i++) {
  for (const [name, run] of [["sluice", sluiceRun], ["sluiceCached", sluiceCachedRun], ["squawk", squawkRun]]) {
    const r = run();
    results[name].push(r.ms);
    if (r.rssMb !== undefined) rss[name].push(r.rssMb);
    if (r.cpuMs !== undefined) cpu[name].push(r.cpuMs);
  }
  log(`run ${i + 1}/${runs}: sluice ${fmt(results.sluice.at(-1))} (findings cached: ${fmt(results.sluiceCached.at(-1))}), squawk ${fmt(results.squawk.at(-1))}`);
}

// Findings per statement. Squawk's JSON lines are 0-based lines of all.sql; Sluice's are 1-based lines of a migration file.
const byAllLine = new Map(gen.statements.map((s, i) => [s.allLine, i]));
const byFileLine = new Map(gen.statements.map((s, i) => [`${s.file}:${s.line}`, i]));
const squawkAt = new Map();
for (const f of squawkJson) {
  const i = byAllLine.get(f.line + 1);
  if (i === undefined) continue;
  squawkAt.set(i, [...(squawkAt.get(i) ?? []), f.rule_name]);
}
const sluiceAt = new Map();
const sluiceFiles = new Set();
for (const f of sluiceJson.findings) {
  const i = byFileLine.get(`${f.file}:${f.line}`);
  if (f.rule === "lock-timeout") sluiceFiles.add(f.file);
  if (i === undefined) continue;
  sluiceAt.set(i, [...(sluiceAt.get(i) ?? []), f.rule]);
}
const countBy = (list) => Object.entries(list.reduce((m, r) => ({ ...m, [r]: (m[r] ?? 0) + 1 }), {})).sort((a, b) => b[1] - a[1]);
const squawkRules = countBy(squawkJson.map((f) => f.rule_name));
const sluiceRules = countBy(sluiceJson.findings.map((f) => f.rule));

// Statements Squawk flags and Sluice passes silently, by Squawk rule and statement kind.
// lock-timeout is one finding per migration (on its first locking statement), so a
// statement in a migration that has it counts as covered for Squawk's timeout rule.
const missed = new Map();
for (const [i, rules] of squawkAt) {
  const s = gen.statements[i];
  const mine = sluiceAt.get(i) ?? [];
  for (const rule of new Set(rules)) {
    const covered = mine.length > 0 || (rule === "require-timeout-settings" && sluiceFiles.has(s.file));
    if (covered) continue;
    const key = `${rule}\t${s.kind}`;
    const prev = missed.get(key);
    missed.set(key, { rule, kind: s.kind, example: s.sql, n: (prev?.n ?? 0) + 1, nonTx: (prev?.nonTx ?? 0) + (s.transactional ? 0 : 1) });
  }
}

/**
 * Why Sluice passes what these Squawk rules flag, checked against PostgreSQL's
 * behaviour; a Squawk rule missing here is printed as unexplained.
 */
const WHY = {
  "prefer-robust-stmts": (x) =>
    `Squawk wants IF [NOT] EXISTS so a half-applied migration can be re-run; it lints the plain file as if nothing ran in a transaction. Sluice runs each of these migrations in one transaction, so a failure leaves nothing to re-run over (${x.nonTx} of these statements are in non-transactional migrations).`,
  "require-enum-value-ordering": () =>
    "Style, not safety: without BEFORE/AFTER the value goes last, and the chain fixes the order of additions. Sluice's enum rule asks for IF NOT EXISTS (enum-value-not-idempotent), which this statement has.",
  "prefer-bigint-over-int": () =>
    "An integer that is not a key (a quantity): it does not grow with the row count. Sluice's int-key advice is for primary keys and identity/serial columns, where running out is the risk.",
  "ban-drop-not-null": () =>
    "A catalog-only change that widens what the column accepts (the expand step of expand/contract); it loses nothing. Its brief ACCESS EXCLUSIVE lock is what lock-timeout is about, reported once per migration.",
  "renaming-table": () => "The table was created earlier in the same migration: no running code uses its name yet.",
  "require-lock-timeout": (x) =>
    `Squawk reports once per file, on its first statement (here CREATE TYPE in the base migration, which creates only new objects). Sluice's lock-timeout reports once per migration, on the first statement that takes ACCESS EXCLUSIVE on an existing table before any lock_timeout is set (${x.lockTimeouts} migrations here).`,
  "require-statement-timeout": () =>
    "Same single report on the file's first statement. Sluice does not ask for a statement_timeout: the long statements it would cut short (index builds, validations, backfills, rewrites) are each reported by their own rule with the safe way to run them.",
};

const byRule = (rows) => {
  const out = new Map();
  for (const x of rows.values()) out.set(x.rule, [...(out.get(x.rule) ?? []), x]);
  return [...out].sort((a, b) => a[0].localeCompare(b[0]));
};

const m = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, { median: median(v), min: Math.min(...v), n: v.length }]));
const cpuCell = (name) => (cpu[name].length ? fmt(median(cpu[name])) : "—");
const rssCell = (name) => (rss[name].length ? `${Math.round(median(rss[name]))} MB` : "—");
const ratio = m.sluice.median / m.squawk.median;
const table = [
  `Input: ${gen.statements.length} statements of ${new Set(gen.statements.map((s) => s.kind)).size} kinds (creates, columns with and without defaults, NOT NULL, indexes with and without CONCURRENTLY, foreign keys with and without NOT VALID, checks, unique constraints, renames, type changes, drops, enum values, updates, SET NOT NULL, …), ` +
    `as a chain of ${gen.migrations} \`.sql\` migrations for Sluice (one in eight non-transactional, with the CONCURRENTLY statements) and as one \`.sql\` file for Squawk, generated by \`bench/check/generate.mjs\` (seeded).`,
  `Machine: Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "unknown"}), shared with other work. 1-minute load average (uptime) ${loadBefore.toFixed(2)} before and ${os.loadavg()[0].toFixed(2)} after${
    Math.max(loadBefore, os.loadavg()[0]) > os.cpus().length ? " — high: other work was running on the machine, so wall times are inflated and noisy (compare minima and CPU time too)" : ""
  }. ` +
    `Wall clock of each process, median of ${runs} runs after one warm-up, runs interleaved; peak RSS from /usr/bin/time. Squawk ${squawkVersion}, its native linux binary run directly (the npm wrapper adds a node start).`,
  "",
  "| Measurement | Median | Min | CPU (user+sys), median | Peak RSS | Findings |",
  "|---|---:|---:|---:|---:|---:|",
  `| \`sluice check --all --format json\` (the chain, every statement checked) | ${fmt(m.sluice.median)} | ${fmt(m.sluice.min)} | ${cpuCell("sluice")} | ${rssCell("sluice")} | ${sluiceJson.findings.length} (${sluiceJson.findings.filter((f) => f.severity === "error").length} errors) |`,
  `| \`sluice check --all --format json\`, files unchanged since the last check (findings cache) | ${fmt(m.sluiceCached.median)} | ${fmt(m.sluiceCached.min)} | ${cpuCell("sluiceCached")} | ${rssCell("sluiceCached")} | same |`,
  `| \`squawk --reporter json all.sql\` | ${fmt(m.squawk.median)} | ${fmt(m.squawk.min)} | ${cpuCell("squawk")} | ${rssCell("squawk")} | ${squawkJson.length} |`,
  "",
  `Target: Sluice within 3× Squawk's wall time: ${ratio.toFixed(2)}× — ${ratio <= 3 ? "met" : "**missed**"}.`,
  "",
  `Findings by rule — Sluice: ${sluiceRules.map(([r, n]) => `${r} ${n}`).join(", ")}.`,
  "",
  `Findings by rule — Squawk: ${squawkRules.map(([r, n]) => `${r} ${n}`).join(", ")}.`,
  "",
  missed.size
    ? [
        "Statements Squawk flags that Sluice passes without any finding:",
        "",
        "| Squawk rule | Statement kind | Statements | Example |",
        "|---|---|---:|---|",
        ...[...missed.values()].sort((a, b) => a.rule.localeCompare(b.rule) || b.n - a.n).map((x) => `| ${x.rule} | ${x.kind} | ${x.n} | \`${x.example.length > 90 ? `${x.example.slice(0, 87)}…` : x.example}\` |`),
        "",
        "Why Sluice passes them:",
        "",
        ...byRule(missed).map(([rule, xs]) => `- **${rule}**: ${WHY[rule] ? WHY[rule]({ nonTx: xs.reduce((n, x) => n + x.nonTx, 0), lockTimeouts: sluiceFiles.size }) : "**unexplained** — look at these statements."}`),
      ].join("\n")
    : "Statements Squawk flags that Sluice passes without any finding: none.",
].join("\n");

console.log(table);

if (flag("write")) {
  const command = benchCommand("bench:check", args);
  const file = recordSection(`## Check vs Squawk (issue 5)\n\nProduced by \`${command}\` (scripts in \`bench/check/\`) on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n`);
  log(`Recorded in ${path.relative(process.cwd(), file)}.`);
}
