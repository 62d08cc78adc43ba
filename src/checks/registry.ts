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
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
