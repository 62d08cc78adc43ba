import { stateDir } from "../config/config.js";
import { approvalsPath, recordApprovals, type Approval } from "../checks/approval.js";
import { SluiceError } from "../errors.js";
import { checkTargets, type CheckOptions, type CheckResult } from "./check.js";

export interface ApproveOptions extends Omit<CheckOptions, "all" | "models"> {
  /** The revisions the human reviewed; required. */
  revisions: string[];
}

export interface ApproveResult extends CheckResult {
  /** The files approved as they are now. */
  approved: Approval[];
  /** Where the approvals are kept. */
  approvalsFile: string;
}

/**
 * `sluice check --approve REV…`: checks the named migrations and records each
 * file as approved as it is now, so that its acknowledgements (`allow`,
 * `-- sluice:allow`) count when an agent asks for the upgrade (`sluice mcp
 * --allow-apply`). A later change to the file needs a new approval. This is a
 * human's act: the MCP server has no tool that reaches it.
 *
 * @example
 * await approve({ cwd: "./app", revisions: ["003"] });
 */
export async function approve(opts: ApproveOptions): Promise<ApproveResult> {
  if (!opts.revisions?.length) {
    throw new SluiceError("usage", "--approve needs the revision(s) you reviewed.", { hint: "Run `sluice check --approve 003` after reading migration 003 (`sluice show 003`)." });
  }
  const { result, targets, root } = await checkTargets(opts);
  const state = stateDir(root);
  const approved = recordApprovals(state, targets);
  return { ...result, approved, approvalsFile: approvalsPath(state) };
}
