// pgSchema with tables, enums and sequences in it, and references across schemas.
import { pgSchema, pgTable, pgEnum, serial, integer, text } from "drizzle-orm/pg-core";

export const billing = pgSchema("billing");
export const invoiceState = billing.enum("invoice_state", ["draft", "sent", "paid"]);
export const publicState = pgEnum("public_state", ["on", "off"]);
export const invoiceSeq = billing.sequence("invoice_seq", { startWith: 10 });

export const customers = pgTable("customers", {
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  state: publicState("state").default("on"),
});

export const invoices = billing.table("invoices", {
  id: serial("id").primaryKey(),
  customerId: integer("customer_id").notNull().references(() => customers.id),
  state: invoiceState("state").notNull().default("draft"),
  history: invoiceState("history").array(),
});
