// Timing one child process, shared by every benchmark.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const timeBin = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Runs a command to completion and returns its wall milliseconds, stdout,
 * stderr and exit status; under /usr/bin/time (where it exists, unless
 * `time: false`) also its peak RSS in MB and CPU time (user + sys) in ms.
 * Throws on a status not in `ok` (default 0). Other options go to spawnSync.
 */
export function measure(cmd, args, { ok = [0], time = true, ...opts } = {}) {
  const timed = time && timeBin !== undefined;
  const [file, argv] = timed ? [timeBin, ["-f", "__TIME__ %M %U %S", cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, argv, { encoding: "utf8", maxBuffer: 1 << 30, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const t = /__TIME__ (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? "");
  const stderr = (r.stderr ?? "").replace(/__TIME__ .*\s*$/, "");
  if (!ok.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status ?? r.error?.message}):\n${stderr.slice(-3000)}`);
  return {
    ms,
    rssMb: t ? Number(t[1]) / 1024 : undefined,
    cpuMs: t ? (Number(t[2]) + Number(t[3])) * 1000 : undefined,
    stdout: r.stdout,
    stderr,
    status: r.status,
  };
}

/** The median (the mean of the middle two for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
