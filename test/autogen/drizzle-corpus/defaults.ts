// Defaults of every kind: strings, numbers, booleans, JSON objects and strings for json/jsonb, arrays, sql``; $defaultFn is client-side.
import { sql } from "drizzle-orm";
import { pgTable, serial, text, integer, numeric, real, boolean, json, jsonb, timestamp, date, uuid, varchar, bigint, customType } from "drizzle-orm/pg-core";

const money = customType<{ data: number; driverData: string }>({
  dataType: () => "numeric(10, 2)",
  toDriver: (v) => String(v),
});

export const settings = pgTable("settings", {
  id: serial("id").primaryKey(),
  label: text("label").notNull().default("untitled"),
  quoted: text("quoted").default("it's"),
  count: integer("count").notNull().default(0),
  negative: integer("negative").default(-1),
  ratio: real("ratio").default(0.25),
  price: numeric("price", { precision: 12, scale: 2 }).default("9.99"),
  fee: money("fee").default(24),
  active: boolean("active").notNull().default(true),
  archived: boolean("archived").default(false),
  prefsText: jsonb("prefs_text").notNull().default("{}"),
  prefsObject: jsonb("prefs_object").default({ theme: "dark", sizes: [1, 2] }),
  prefsArray: jsonb("prefs_array").default([]),
  plainJson: json("plain_json").default({ a: 1 }),
  plainJsonText: json("plain_json_text").default("[]"),
  tags: text("tags").array().default(["a", "b"]),
  scores: integer("scores").array().default(sql`'{}'::integer[]`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  day: date("day").default(sql`CURRENT_DATE`),
  token: uuid("token").defaultRandom(),
  clientSide: varchar("client_side", { length: 36 }).$defaultFn(() => "generated-in-js"),
  big: bigint("big", { mode: "number" }).default(9007199254740991),
});
