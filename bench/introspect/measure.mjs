// Timing one child process, shared by bench/introspect and bench/autogen.
import { spawnSync } from "node:child_process";

/**
 * Runs a command under /usr/bin/time: wall milliseconds, peak RSS in MB,
 * stdout and the exit status. Throws on any status not in `ok` (default 0).
 */
export function measure(cmd, args, { ok = [0], ...opts } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 30, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const lines = r.stderr.trim().split("\n");
  return { ms, rssMb: Number(lines[lines.length - 1]) / 1024, stdout: r.stdout, status: r.status };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
