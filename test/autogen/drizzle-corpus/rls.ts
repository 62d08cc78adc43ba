// Row-level security: pgPolicy, enableRLS, pgRole (an existing() role is not created). pgTable.withRLS is drizzle-orm 1.0's; 0.45 has enableRLS().
import { sql } from "drizzle-orm";
import { pgTable, pgPolicy, pgRole, serial, integer, text } from "drizzle-orm/pg-core";

export const appReader = pgRole("sluice_corpus_reader", { createRole: false, createDb: false, inherit: true });
export const appAdmin = pgRole("sluice_corpus_admin", { createRole: true });
export const everyone = pgRole("sluice_corpus_everyone").existing();

export const notes = pgTable("notes", {
  id: serial("id").primaryKey(),
  ownerId: integer("owner_id").notNull(),
  body: text("body"),
}, (t) => [
  pgPolicy("notes_read", { for: "select", to: appReader, using: sql`true` }),
  pgPolicy("notes_write", { as: "restrictive", for: "update", to: [appAdmin, "current_user"], using: sql`${t.ownerId} = 1`, withCheck: sql`${t.ownerId} = 1` }),
  pgPolicy("notes_insert", { for: "insert", to: "public", withCheck: sql`${t.body} is not null` }),
]).enableRLS();

export const secrets = pgTable("secrets", {
  id: serial("id").primaryKey(),
  value: text("value"),
}).enableRLS();
