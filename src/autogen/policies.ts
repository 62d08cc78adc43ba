import type { Op, PolicySpec } from "../ops/types.js";
import type { Policy, Role, Schema, Table } from "../schema/types.js";
import type { Change } from "./change.js";

/*
 * Row-level security, policies and roles: one comparator for what a table's
 * access rules are, apart from its structure. Each returns changes for the
 * phases the caller orders them in.
 */

/** `products` in public, `sales.orders` elsewhere. */
const opName = (x: { schema: string; name: string }) => (x.schema === "public" ? x.name : `${x.schema}.${x.name}`);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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

/** Roles the model declares that the database lacks or holds with other attributes; a role is never dropped. */
export function compareRoles(current: Schema, desired: Schema): Change[] {
  const have = new Map(current.roles.map((r) => [r.name, r]));
  const out: Change[] = [];
  const options = (r: Role) => ({ createDb: r.createDb, createRole: r.createRole, inherit: r.inherit });
  for (const r of desired.roles) {
    const old = have.get(r.name);
    if (!old) {
      out.push({
        op: { kind: "createRole", name: r.name, ...options(r) },
        // A role is the server's, not the database's: the downgrade leaves it, as other databases may use it.
        undo: [],
        summary: `create role ${r.name}`,
      });
    } else if (!same(options(old), options(r))) {
      out.push({ op: { kind: "alterRole", name: r.name, to: options(r), existing: options(old) }, summary: `alter role ${r.name}` });
    }
  }
  return out;
}
