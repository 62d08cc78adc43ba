import type { Op, PolicySpec } from "../../ops/types.js";
import type { Policy, Table } from "../../schema/types.js";
import type { Change } from "../change.js";

/*
 * Row-level security and policies: what a table's access rules are, apart
 * from its structure. A policy reads columns: kept policies are rebuilt when
 * a column of their table is dropped or changes type (from ColumnFacts).
 */

import { opName, same } from "./names.js";
import { key, place, type Context } from "./context.js";
import type { ColumnFacts } from "./columns.js";
import type { Placed } from "../order.js";

/** A policy of the Schema as the body of a createPolicy op (PostgreSQL's defaults left out). */
export function policySpec(p: Policy): PolicySpec {
  return {
    ...(p.permissive ? {} : { as: "restrictive" as const }),
    ...(p.command === "all" ? {} : { for: p.command }),
    ...(same(p.roles, ["public"]) ? {} : { to: p.roles }),
    ...(p.using !== null ? { using: p.using } : {}),
    ...(p.withCheck !== null ? { withCheck: p.withCheck } : {}),
  };
}

export function createPolicyOp(t: Table, p: Policy): Op {
  return { kind: "createPolicy", name: p.name, table: opName(t), ...policySpec(p) };
}

/** The ops that give a table created from nothing (or restored by a downgrade) its row-level security and policies. */
export function rowSecurityOps(t: Table): Op[] {
  const ops: Op[] = [];
  if (t.rowSecurity.enabled) ops.push({ kind: "enableRowLevelSecurity", table: opName(t) });
  if (t.rowSecurity.forced) ops.push({ kind: "enableRowLevelSecurity", table: opName(t), force: true });
  for (const p of t.policies) ops.push(createPolicyOp(t, p));
  return ops;
}

export interface RowSecurityChanges {
  /** Run before columns and tables are dropped or retyped (a policy depends on the columns it reads). */
  readonly drops: Change[];
  /** Run once tables and columns are in place. */
  readonly creates: Change[];
}

/**
 * The changes to one table's row-level security and policies, `a` → `b`
 * (`a` null for a new table). `rebuild` recreates every kept policy: some
 * column it may read is dropped or changes type.
 */
export function compareRowSecurity(a: Table | null, b: Table, rebuild: boolean): RowSecurityChanges {
  const table = opName(b);
  const drops: Change[] = [];
  const creates: Change[] = [];
  const was = a?.rowSecurity ?? { enabled: false, forced: false };
  if (was.enabled !== b.rowSecurity.enabled) {
    const kind = b.rowSecurity.enabled ? "enableRowLevelSecurity" : "disableRowLevelSecurity";
    creates.push({ op: { kind, table }, summary: `${b.rowSecurity.enabled ? "enable" : "disable"} row-level security on ${table}` });
  }
  if (was.forced !== b.rowSecurity.forced) {
    const kind = b.rowSecurity.forced ? "enableRowLevelSecurity" : "disableRowLevelSecurity";
    creates.push({ op: { kind, table, force: true }, summary: `${b.rowSecurity.forced ? "force" : "no longer force"} row-level security on ${table}` });
  }
  const old = new Map((a?.policies ?? []).map((p) => [p.name, p]));
  const desired = new Map(b.policies.map((p) => [p.name, p]));
  for (const p of a?.policies ?? []) {
    const next = desired.get(p.name);
    if (next && same(p, next) && !rebuild) continue;
    drops.push({
      op: { kind: "dropPolicy", name: p.name, table, existing: policySpec(p) },
      summary: next ? `drop policy ${p.name} on ${table} (recreated below)` : `drop policy ${p.name} on ${table}`,
      ...(next ? {} : { review: [`who may read or write rows of ${table} changes: the policy ${p.name} is dropped.`] }),
    });
  }
  for (const p of b.policies) {
    const prev = old.get(p.name);
    if (prev && same(prev, p) && !rebuild) continue;
    creates.push({ op: createPolicyOp(b, p), summary: `create policy ${p.name} on ${table}` });
  }
  return { drops, creates };
}

/** Every table's row-level security and policies; drops run before columns change, creates after. */
export function comparePolicies(ctx: Context, columns: ColumnFacts): Placed[] {
  const out: Placed[] = [];
  for (const t of ctx.b.tables) {
    const old = ctx.aTables.get(key(t)) ?? null;
    const touched = !!old && old.columns.some((c) => columns.dropped.has(`${key(t)}.${c.name}`) || columns.retyped.has(`${key(t)}.${c.name}`));
    const { drops, creates } = compareRowSecurity(old, t, touched);
    for (const c of drops) out.push(place("dropPolicies", c));
    for (const c of creates) out.push(place("createPolicies", c));
  }
  return out;
}
