import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** Whether a process with this pid runs on this host (one that belongs to another user counts). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * When the process started, as the system says it (Linux: /proc/<pid>/stat
 * field 22; elsewhere `ps`), to tell a process from a later one given the same
 * pid; undefined when it cannot be told. A zombie counts as gone.
 */
export function processStartTime(pid: number): string | undefined {
  if (process.platform === "linux") {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
      const fields = stat.slice(stat.lastIndexOf(")") + 1).trim().split(/\s+/);
      return fields[0] === "Z" ? "zombie" : fields[19];
    } catch {
      return undefined;
    }
  }
  try {
    return execFileSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
