import type { Db } from "../db/types.js";
import type { Op } from "../ops/types.js";
import { quoteQualified, splitQualified } from "../ops/quote.js";
import { loadParser, splitStatementsSync, statementKind } from "../sql/parse.js";

/** A backfill and what it achieved: declared (verify) or inferred (column added, then UPDATEd). */
export interface BackfillResult {
  /** `notNull products.new_field`, or the verify query. */
  readonly assertion: string;
  readonly declared: boolean;
  /** Rows that violate it (NULLs left, rows the query returned). */
  readonly violations: number;
}

export interface Backfill {
  readonly table: string;
  readonly column: string;
}

/** Columns an upgrade adds as nullable and then fills with an UPDATE in the same migration. */
export async function inferredBackfills(ops: readonly Op[]): Promise<Backfill[]> {
  const added = ops.flatMap((o) => (o.kind === "addColumn" && o.column.nullable !== false ? [{ table: o.table, column: o.column.name }] : []));
  if (!added.length) return [];
  await loadParser();
  const out: Backfill[] = [];
  for (const o of ops) {
    if (o.kind !== "execute") continue;
    let stmts;
    try {
      stmts = splitStatementsSync(o.sql);
    } catch {
      continue;
    }
    for (const s of stmts) {
      if (statementKind(s.ast) !== "UpdateStmt") continue;
      const u = (s.ast as any).UpdateStmt;
      const rel: string = u.relation?.relname ?? "";
      const schema: string | undefined = u.relation?.schemaname;
      const set: string[] = (u.targetList ?? []).map((t: any) => t.ResTarget?.name).filter(Boolean);
      for (const a of added) {
        const [aSchema, aTable] = splitQualified(a.table);
        if (aTable === rel && (aSchema ?? "public") === (schema ?? "public") && set.includes(a.column) && !out.some((b) => b.table === a.table && b.column === a.column)) {
          out.push(a);
        }
      }
    }
  }
  return out;
}

/** Counts the rows each backfill left unfilled. */
export async function measureBackfills(
  db: Db,
  declared: { notNull?: readonly string[]; sql?: readonly string[] } | undefined,
  inferred: readonly Backfill[],
): Promise<BackfillResult[]> {
  const out: BackfillResult[] = [];
  const notNull = new Set(declared?.notNull ?? []);
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  for (const target of notNull) {
    const dot = target.lastIndexOf(".");
    const n = await count(`SELECT count(*)::text AS n FROM ${quoteQualified(target.slice(0, dot))} WHERE ${quoteQualified(target.slice(dot + 1))} IS NULL`);
    out.push({ assertion: `notNull ${target}`, declared: true, violations: n });
  }
  for (const q of declared?.sql ?? []) {
    out.push({ assertion: q, declared: true, violations: await count(`SELECT count(*)::text AS n FROM (${q}) AS sluice_verify`) });
  }
  for (const b of inferred) {
    if (notNull.has(`${b.table}.${b.column}`)) continue;
    const n = await count(`SELECT count(*)::text AS n FROM ${quoteQualified(b.table)} WHERE ${quoteQualified(b.column)} IS NULL`);
    out.push({ assertion: `notNull ${b.table}.${b.column}`, declared: false, violations: n });
  }
  return out;
}
