import path from "node:path";

/**
 * Holds an exclusive lock on a directory for this process, waiting for another
 * holder to release it. The lock is a sibling `<dir>.lock` kept fresh by
 * proper-lockfile, so a crashed holder's lock goes stale and is taken over.
 */
export async function acquireDirLock(
  dir: string,
  opts: { timeoutMs: number; onWait?: () => void },
): Promise<() => void> {
  const lockfile = await import("proper-lockfile");
  const lockfilePath = path.join(path.dirname(dir), `.${path.basename(dir)}.lock`);
  const started = Date.now();
  let warned = false;
  let delay = 25;
  for (;;) {
    try {
      const release = await lockfile.lock(dir, { lockfilePath, stale: 10_000, update: 2_000, realpath: false });
      return () => {
        release().catch(() => {});
      };
    } catch (err) {
      if ((err as { code?: string }).code !== "ELOCKED") throw err;
      const waited = Date.now() - started;
      if (waited > opts.timeoutMs) {
        const { DatabaseError } = await import("../errors.js");
        throw new DatabaseError("lock-timeout", `Another sluice process kept the embedded database at ${dir} busy for more than ${Math.round(waited / 1000)} s.`, {
          hint: "Wait for it to finish; if no sluice process is running, remove the stale lock " + lockfilePath + ".",
        });
      }
      if (!warned && waited > 2_000) {
        warned = true;
        opts.onWait?.();
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 250);
    }
  }
}
