#!/usr/bin/env node
// The README's main job: the whole migration workflow on the embedded database,
// with no server. Each step is the `sluice` command a user would type.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const project = path.join(root, "examples", "quickstart");
const bin = path.join(root, "bin", "sluice.js");

// The example's own embedded database starts empty on every run.
fs.rmSync(path.join(project, ".sluice"), { recursive: true, force: true });

function step(title, args) {
  process.stdout.write(`\n$ sluice ${args.join(" ")}    # ${title}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: project, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: \`sluice ${args.join(" ")}\` exited ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
}

step("where are we?", ["current"]);
step("apply everything", ["upgrade", "head"]);
step("where are we now?", ["current"]);
step("what has run", ["history", "--verbose"]);
step("one step back", ["downgrade", "-1"]);
step("all the way back", ["downgrade", "base"]);
step("and up again", ["upgrade"]);
step("the SQL a downgrade would run, without running it", ["downgrade", "-1", "--sql"]);
