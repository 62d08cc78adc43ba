export type { CommonOptions, Project } from "./context.js";
export { openProject } from "./context.js";
export { init, type InitOptions, type InitResult } from "./init.js";
export { revision, merge, slugify, migrationTemplate, type RevisionOptions, type RevisionResult, type MergeOptions } from "./revision.js";
export { current, type CurrentOptions, type CurrentResult } from "./current.js";
export { history, heads, type HistoryEntry, type HistoryResult, type HeadsResult } from "./history.js";
export { check, type CheckOptions, type CheckResult } from "./check.js";
export { upgrade, downgrade, stamp, type UpgradeOptions, type DowngradeOptions, type MigrateResult, type StampOptions, type StampResult, type AppliedStep } from "./migrate.js";
export { showMigration, type ShowOptions, type ShowResult } from "./show.js";
