import type { View } from "../../schema/types.js";
import type { Placed } from "../order.js";
import { key, opName, place, same, sqlName, type Context } from "./context.js";
import type { ColumnFacts } from "./columns.js";
import type { EnumFacts } from "./enums.js";
import { createView, dependencyOrder, viewShape } from "./objects.js";

/**
 * The views kept by name that must be dropped and created again (keys):
 * those whose definition changes, those that read a column that is dropped
 * or changes type (an enum recreated counts), a table that is dropped, or a
 * view that is itself rebuilt. A change elsewhere leaves every view alone.
 */
export function viewsToRebuild(ctx: Context, columns: ColumnFacts, enums: EnumFacts): ReadonlySet<string> {
  const aViews = new Map(ctx.a.views.map((v) => [key(v), v]));
  const bViews = new Map(ctx.b.views.map((v) => [key(v), v]));
  const rebuilt = new Set<string>();
  const touched = (v: View) =>
    v.reads.some((r) => {
      const k = key(r);
      if (rebuilt.has(k)) return true;
      const t = ctx.aTables.get(k);
      if (!t) return aViews.has(k) ? !bViews.has(k) : false;
      if (!ctx.bTables.has(k)) return true;
      return r.columns.some((c) => {
        if (columns.dropped.has(`${k}.${c}`) || columns.retyped.has(`${k}.${c}`)) return true;
        const type = t.columns.find((x) => x.name === c)?.type.replace(/(\[\])+$/, "");
        return type !== undefined && enums.recreated.has(type);
      });
    });
  for (const v of dependencyOrder(ctx.a.views)) {
    const nv = bViews.get(key(v));
    if (nv && (!same(viewShape(v), viewShape(nv)) || touched(v))) rebuilt.add(key(v));
  }
  return rebuilt;
}

/** Views and materialized views dropped (dependents first) and created (after what they read), with their indexes and comments. */
export function compareViews(ctx: Context, rebuilt: ReadonlySet<string>): Placed[] {
  const out: Placed[] = [];
  const aViews = new Map(ctx.a.views.map((v) => [key(v), v]));
  const bViews = new Map(ctx.b.views.map((v) => [key(v), v]));
  const drop = (v: View) => ({ kind: "execute" as const, sql: `DROP ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)}` });
  for (const v of dependencyOrder(ctx.a.views).reverse()) {
    const nv = bViews.get(key(v));
    if (nv && !rebuilt.has(key(v))) continue;
    out.push(
      place("dropViews", {
        op: drop(v),
        undo: createView(v),
        review: nv ? undefined : ["destructive: drops the view."],
        summary: `drop ${v.materialized ? "materialized " : ""}view ${opName(v)}`,
      }),
    );
  }
  for (const v of dependencyOrder(ctx.b.views)) {
    const old = aViews.get(key(v));
    if (old && !rebuilt.has(key(v))) continue;
    const [create, ...rest] = createView(v);
    out.push(place("createViews", { op: create, undo: [drop(v)], summary: `create ${v.materialized ? "materialized " : ""}view ${opName(v)}` }));
    for (const op of rest) out.push(place("createViews", { op, undo: [], summary: `index or comment of view ${opName(v)}` }));
  }
  return out;
}
