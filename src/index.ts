/**
 * Sluice's library entry: every CLI verb is a typed function here, and the
 * helpers a project's own files import (`defineConfig`, `defineMigration`).
 */
export { defineConfig, loadConfig, type SluiceConfig, type ResolvedConfig } from "./config/index.js";
export { defineMigration, type MigrationDefinition, type MigrationVerify, type Migration, type Chain } from "./chain/index.js";
// The verbs, named one by one: a helper exported from a command module for another one stays internal.
export {
  init, revision, merge, current, history, heads, check, upgrade, downgrade, stamp, showMigration, describe, verify, clean, report, renderReport,
  autogenerate, compareWithModel, diff, ship, baseline, importChain, rebase,
} from "./commands/index.js";
export type {
  CommonOptions, InitOptions, InitResult, RevisionOptions, RevisionResult, MergeOptions, CurrentOptions, CurrentResult, HistoryEntry, HistoryResult,
  HeadsResult, CheckOptions, CheckResult, UpgradeOptions, DowngradeOptions, MigrateResult, Interruption, StampOptions, StampResult, AppliedStep,
  ShowOptions, ShowResult, DescribeOptions, DescribeResult, DescribeListResult, DescribeTableResult, DescribeViewResult, RelationSummary,
  VerifyOptions, VerifyCommandResult, CleanOptions, CleanResult, ReportOptions, Report, AutogenerateOptions, AutogenerateResult,
  ModelComparisonOptions, ModelComparison, DiffCommandOptions, DiffCommandResult, ShipOptions, ShipResult, ShipStep,
  BaselineOptions, BaselineResult, ImportOptions, ImportResult, ImportedFile,
} from "./commands/index.js";
export type * from "./ops/types.js";
export { renderOp, reverseOp, reverseOps, opFacts, recordOps, type OpBuilder } from "./ops/index.js";
export { openDatabase, parseDatabaseUrl, redactUrl, type Db } from "./db/index.js";
export { SluiceError, ExitCode } from "./errors.js";
export { introspect, compareSchemas, type IntrospectOptions } from "./schema/index.js";
export type {
  Schema, SchemaDifference, Extension, EnumType, Sequence, SequenceOptions, Table, Column, Identity, ConstraintTiming,
  PrimaryKey, ForeignKey, UniqueConstraint, CheckConstraint, ExclusionConstraint, Index, IndexKey, View,
} from "./schema/index.js";
export { RULES, type Finding, type SuppressedFinding, type Rule, type ChecksConfig } from "./checks/index.js";
export { loadModel, compileModel, drizzleToDdl, loadDrizzleKit, type DrizzleKit, type Model, type ModelConfig, type CompiledModel, type ScratchTarget } from "./model/index.js";
export { diffSchemas, renderChanges, renderOpCall, modelDrift, parseRenames, findRenameCandidates, type Change, type DiffResult, type Rename, type RenameCandidate } from "./autogen/index.js";
