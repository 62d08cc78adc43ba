import type { Role } from "../../schema/types.js";
import type { Change } from "../change.js";
import type { Placed } from "../order.js";
import { place, same, type Context } from "./context.js";

/** Roles the model declares that the database lacks or holds with other attributes; a role is never dropped. */
export function compareRoles(ctx: Context): Placed[] {
  const have = new Map(ctx.a.roles.map((r) => [r.name, r]));
  const out: Change[] = [];
  const options = (r: Role) => ({ createDb: r.createDb, createRole: r.createRole, inherit: r.inherit });
  for (const r of ctx.b.roles) {
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
  return out.map((c) => place("roles", c));
}
