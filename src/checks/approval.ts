import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Migration } from "../chain/files.js";

/**
 * A human's approval of a migration file as it is: `sluice check --approve`
 * records the file's checksum, and its acknowledgements count for agent runs
 * while the file keeps that checksum.
 */
export interface Approval {
  readonly revision: string;
  readonly file: string;
  /** sha256 of the file's bytes when it was approved. */
  readonly checksum: string;
  readonly approvedAt: string;
}

interface ApprovalsFile {
  version: 1;
  approvals: Approval[];
}

/** The approvals of a project, kept in its state folder (`.sluice/approvals.json`, not committed: a commit is its own approval). */
export function approvalsPath(stateDir: string): string {
  return path.join(stateDir, "approvals.json");
}

/** The recorded approvals; none when the file is missing or unreadable (then nothing counts as approved). */
export function readApprovals(stateDir: string): Approval[] {
  try {
    const doc = JSON.parse(fs.readFileSync(approvalsPath(stateDir), "utf8")) as ApprovalsFile;
    return doc.version === 1 && Array.isArray(doc.approvals) ? doc.approvals : [];
  } catch {
    return [];
  }
}

/** Records `migrations` as approved as they are now, replacing earlier approvals of the same files. */
export function recordApprovals(stateDir: string, migrations: readonly Migration[], now = new Date()): Approval[] {
  const added = migrations.map((m) => ({ revision: m.revision, file: m.file, checksum: m.checksum, approvedAt: now.toISOString() }));
  const files = new Set(added.map((a) => a.file));
  const doc: ApprovalsFile = { version: 1, approvals: [...readApprovals(stateDir).filter((a) => !files.has(a.file)), ...added] };
  fs.mkdirSync(stateDir, { recursive: true });
  const tmp = `${approvalsPath(stateDir)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
  fs.renameSync(tmp, approvalsPath(stateDir));
  return added;
}

/** A file a human may vouch for: a migration, or the config. */
export interface VouchedFile {
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly absPath: string;
  /** sha256 of the file's bytes now. */
  readonly checksum: string;
}

/**
 * How a human vouched for a file as it is now: `approved` (its checksum was
 * approved by `sluice check --approve`), `committed` (it is identical to the
 * file in git's HEAD), or undefined.
 */
export function humanApproval(f: VouchedFile, approvals: readonly Approval[]): "approved" | "committed" | undefined {
  if (approvals.some((a) => a.file === f.file && a.checksum === f.checksum)) return "approved";
  return committedChecksum(f.absPath) === f.checksum ? "committed" : undefined;
}

/** Whether a file is committed in git exactly as it is now. */
export function isCommitted(absPath: string): boolean {
  try {
    return committedChecksum(absPath) === crypto.createHash("sha256").update(fs.readFileSync(absPath)).digest("hex");
  } catch {
    return false;
  }
}

/** sha256 of the file as committed in HEAD of the git repository holding it; undefined outside git or when not committed. */
function committedChecksum(absPath: string): string | undefined {
  try {
    const committed = execFileSync("git", ["show", `HEAD:./${path.basename(absPath)}`], {
      cwd: path.dirname(absPath),
      stdio: ["ignore", "pipe", "ignore"],
      maxBuffer: 1 << 30,
    });
    return crypto.createHash("sha256").update(committed).digest("hex");
  } catch {
    return undefined;
  }
}
