// casing: "camelCase" — property keys written in snake_case become camelCase column names.
import { pgTable, serial, text, integer, index } from "drizzle-orm/pg-core";

export const audit_entries = pgTable("audit_entries", {
  id: serial().primaryKey(),
  actor_name: text().notNull(),
  target_id: integer(),
}, (t) => [index("audit_entries_actor").on(t.actor_name, t.target_id)]);
