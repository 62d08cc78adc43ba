import type { Rule } from "./types.js";
import { missingDowngrade } from "./rules/missing-downgrade.js";
import { notNullWithoutDefault } from "./rules/not-null-without-default.js";
import { foreignKeyOnDelete } from "./rules/foreign-key-on-delete.js";
import { destructiveChange } from "./rules/destructive-change.js";
import { revisionChain } from "./rules/revision-chain.js";
import { enumValueNotIdempotent } from "./rules/enum-value-not-idempotent.js";
import { indexNotConcurrent } from "./rules/index-not-concurrent.js";
import { concurrentlyInTransaction } from "./rules/concurrently-in-transaction.js";
import { constraintNotValid } from "./rules/constraint-not-valid.js";
import { uniqueConstraintWithoutIndex } from "./rules/unique-constraint-without-index.js";
import { columnTypeRewrite } from "./rules/column-type-rewrite.js";
import { setNotNullWithoutCheck } from "./rules/set-not-null-without-check.js";
import { volatileDefault } from "./rules/volatile-default.js";
import { rename } from "./rules/rename.js";
import { addPrimaryKey } from "./rules/add-primary-key.js";
import { lockTimeout } from "./rules/lock-timeout.js";
import { backfillInDdlTransaction } from "./rules/backfill-in-ddl-transaction.js";
import { charType } from "./rules/char-type.js";
import { varcharLength } from "./rules/varchar-length.js";
import { timestampWithoutTimeZone } from "./rules/timestamp-without-time-zone.js";
import { intKey } from "./rules/int-key.js";
import { serialColumn } from "./rules/serial-column.js";
import { sqlSyntax } from "./rules/sql-syntax.js";
import { transactionControl } from "./rules/transaction-control.js";
import { reindexNotConcurrent } from "./rules/reindex-not-concurrent.js";
import { dropDatabase } from "./rules/drop-database.js";
import { truncateCascade } from "./rules/truncate-cascade.js";
import { identifierTooLong } from "./rules/identifier-too-long.js";
import { domainCheck } from "./rules/domain-check.js";
import { detachPartitionNotConcurrent } from "./rules/detach-partition-not-concurrent.js";
import { addIdentityColumn } from "./rules/add-identity-column.js";
import { duplicateColumnAssignment } from "./rules/duplicate-column-assignment.js";
import { transactionLeftOpen } from "./rules/transaction-left-open.js";
import { generatedColumnStored } from "./rules/generated-column-stored.js";
import { exclusionConstraint } from "./rules/exclusion-constraint.js";
import { jsonType } from "./rules/json-type.js";
import { renameSchema } from "./rules/rename-schema.js";
import { indexTooManyColumns } from "./rules/index-too-many-columns.js";

/** Every rule, one line each; the seed's checklist first. */
export const RULES: readonly Rule[] = [
  missingDowngrade,
  notNullWithoutDefault,
  foreignKeyOnDelete,
  destructiveChange,
  revisionChain,
  enumValueNotIdempotent,
  indexNotConcurrent,
  concurrentlyInTransaction,
  constraintNotValid,
  uniqueConstraintWithoutIndex,
  columnTypeRewrite,
  setNotNullWithoutCheck,
  volatileDefault,
  rename,
  addPrimaryKey,
  lockTimeout,
  backfillInDdlTransaction,
  charType,
  varcharLength,
  timestampWithoutTimeZone,
  intKey,
  serialColumn,
  sqlSyntax,
  transactionControl,
  reindexNotConcurrent,
  dropDatabase,
  truncateCascade,
  identifierTooLong,
  domainCheck,
  detachPartitionNotConcurrent,
  addIdentityColumn,
  duplicateColumnAssignment,
  transactionLeftOpen,
  generatedColumnStored,
  exclusionConstraint,
  jsonType,
  renameSchema,
  indexTooManyColumns,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Squawk's rule ids → the Sluice rules that catch the same hazard (for `-- squawk-ignore`). */
export const SQUAWK_ALIASES: ReadonlyMap<string, readonly string[]> = (() => {
  const out = new Map<string, string[]>();
  for (const r of RULES) for (const id of r.squawk ?? []) out.set(id, [...(out.get(id) ?? []), r.id]);
  return out;
})();
