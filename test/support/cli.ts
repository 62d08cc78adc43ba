import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "sluice.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (when it is). */
  json: any;
}

/** A running `sluice` process: what it printed so far, and its result once it exits. */
export interface RunningSluice {
  readonly child: ChildProcess;
  readonly pid: number;
  stderr(): string;
  /** Resolves once stderr has printed text matching `pattern` (rejects if the process exits first). */
  waitForStderr(pattern: RegExp): Promise<void>;
  readonly done: Promise<CliResult>;
}

/** Starts the built `sluice` binary in `cwd` as a user would. */
export function startSluice(cwd: string, args: string[], env: Record<string, string | undefined> = {}): RunningSluice {
  const merged: Record<string, string | undefined> = { ...process.env, DATABASE_URL: undefined, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: merged as NodeJS.ProcessEnv });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code: code ?? (signal === "SIGKILL" ? 137 : -1), stdout, stderr, json });
    });
  });
  return {
    child,
    pid: child.pid!,
    stderr: () => stderr,
    done,
    waitForStderr: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stderr)) return false;
          child.stderr!.off("data", check);
          resolve();
          return true;
        };
        if (check()) return;
        child.stderr!.on("data", check);
        done.then((r) => reject(new Error(`sluice exited (${r.code}) before printing ${pattern}:\n${r.stderr}`)));
      }),
  };
}

/** Runs the built `sluice` binary in `cwd` as a user would. */
export function sluice(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return startSluice(cwd, args, env).done;
}
