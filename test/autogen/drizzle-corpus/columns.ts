// Identity options, generated columns, check constraints, sequences, composite keys and foreign keys.
import { sql } from "drizzle-orm";
import { pgTable, pgSequence, integer, bigint, text, numeric, check, primaryKey, foreignKey, unique } from "drizzle-orm/pg-core";

export const invoiceNumbers = pgSequence("invoice_numbers", { startWith: 1000, increment: 1, cache: 10 });

export const accounts = pgTable("accounts", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity({ startWith: 100, increment: 5, minValue: 100, maxValue: 1000000, cache: 2 }),
  legacyId: bigint("legacy_id", { mode: "number" }).generatedByDefaultAsIdentity(),
  firstName: text("first_name").notNull(),
  lastName: text("last_name").notNull(),
  fullName: text("full_name").generatedAlwaysAs(sql`first_name || ' ' || last_name`),
  balance: numeric("balance", { precision: 14, scale: 2 }).notNull().default("0"),
  email: text("email").unique(),
  handle: text("handle").unique("accounts_handle_key", { nulls: "not distinct" }),
}, (t) => [check("accounts_balance_non_negative", sql`${t.balance} >= 0`)]);

export const memberships = pgTable("memberships", {
  accountId: integer("account_id").notNull(),
  groupId: integer("group_id").notNull(),
  role: text("role").notNull(),
}, (t) => [
  primaryKey({ columns: [t.accountId, t.groupId] }),
  foreignKey({ columns: [t.accountId], foreignColumns: [accounts.id] }).onDelete("cascade").onUpdate("restrict"),
  unique("memberships_role_unique").on(t.groupId, t.role),
]);
