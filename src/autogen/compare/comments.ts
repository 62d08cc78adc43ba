import { quoteIdent } from "../../ops/quote.js";
import type { Change } from "../change.js";
import type { Placed } from "../order.js";
import { commentChange, key, place, sqlName, type Context } from "./context.js";
import type { ColumnFacts } from "./columns.js";
import { dependencyOrder } from "./objects.js";

/**
 * Comments on enums, sequences, tables, columns, constraints, indexes and
 * kept views, set last. (A created view's comment is the view comparator's;
 * a dropped object's comment is restored by its drop's undo.)
 */
export function compareComments(ctx: Context, columns: ColumnFacts, rebuiltViews: ReadonlySet<string>): Placed[] {
  const out: Change[] = [];
  const aEnums = new Map(ctx.a.enums.map((e) => [key(e), e]));
  for (const e of ctx.b.enums) out.push(...commentChange("enum", e, aEnums.get(key(e))?.comment ?? null, e.comment, `TYPE ${sqlName(e)}`));
  const standalone = (serials: ReadonlySet<string>, seqs: typeof ctx.a.sequences) => new Map(seqs.filter((q) => !serials.has(key(q))).map((q) => [key(q), q]));
  const aSeqs = standalone(ctx.aSerials, ctx.a.sequences);
  for (const [k, s] of standalone(ctx.bSerials, ctx.b.sequences)) out.push(...commentChange("sequence", s, aSeqs.get(k)?.comment ?? null, s.comment, `SEQUENCE ${sqlName(s)}`));
  for (const b of ctx.b.tables) {
    const a = ctx.aTables.get(key(b)) ?? null;
    out.push(...commentChange("table", b, a ? a.comment : null, b.comment, `TABLE ${sqlName(b)}`));
    for (const c of b.columns) {
      const old = a?.columns.find((x) => x.name === c.name);
      const from = old && !columns.replaced.has(`${key(b)}.${c.name}`) ? old.comment : null;
      out.push(...commentChange("column", b, from, c.comment, `COLUMN ${sqlName(b)}.${quoteIdent(c.name)}`));
    }
    const aPk = a?.primaryKey ?? null;
    for (const x of [...(b.primaryKey ? [b.primaryKey] : []), ...b.uniques, ...b.checks, ...b.exclusions]) {
      const old = a && [...(aPk ? [aPk] : []), ...a.uniques, ...a.checks, ...a.exclusions].find((y) => y.name === x.name);
      out.push(...commentChange("constraint", b, old ? old.comment : null, x.comment, `CONSTRAINT ${quoteIdent(x.name)} ON ${sqlName(b)}`, x.name));
    }
    for (const x of b.indexes) {
      const old = a?.indexes.find((y) => y.name === x.name);
      out.push(...commentChange("index", { schema: b.schema, name: x.name }, old ? old.comment : null, x.comment, `INDEX ${sqlName({ schema: b.schema, name: x.name })}`));
    }
  }
  const aViews = new Map(ctx.a.views.map((v) => [key(v), v]));
  for (const v of dependencyOrder(ctx.b.views)) {
    const old = aViews.get(key(v));
    if (!old || rebuiltViews.has(key(v))) continue;
    out.push(...commentChange("view", v, old.comment, v.comment, `${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)}`));
  }
  return out.map((c) => place("comments", c));
}
