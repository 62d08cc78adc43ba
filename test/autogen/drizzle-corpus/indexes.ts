// Index idioms: methods, per-column op(), asc/desc, nulls first/last, SQL keys with an opclass or an order, with, where, concurrently.
import { sql } from "drizzle-orm";
import { pgTable, serial, text, jsonb, timestamp, integer, index, uniqueIndex, customType } from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const documents = pgTable(
  "documents",
  {
    id: serial("id").primaryKey(),
    title: text("title").notNull(),
    meta: jsonb("meta"),
    data: jsonb("data"),
    search: tsvector("search"),
    ownerId: integer("owner_id"),
    code: text("code"),
    startedAt: timestamp("started_at", { withTimezone: true }),
  },
  (t) => [
    index("documents_meta_gin").using("gin", t.meta),
    index("documents_data_path_ops").using("gin", t.data.op("jsonb_path_ops")),
    index("documents_search_gist").using("gist", t.search),
    index("documents_code_hash").using("hash", t.code),
    index("documents_title_pattern").on(sql`${t.title} text_pattern_ops`),
    index("documents_started_desc").on(sql`${t.startedAt} DESC NULLS LAST`),
    index("documents_owner_started").on(t.ownerId.asc().nullsFirst(), t.startedAt.desc()),
    index("documents_lower_title").on(sql`lower(${t.title})`),
    index("documents_title_fill").on(t.title).with({ fillfactor: 70 }),
    uniqueIndex("documents_code_live").on(t.code).where(sql`${t.code} IS NOT NULL`),
    index("documents_owner_concurrently").on(t.ownerId).concurrently(),
    index().on(t.title, t.ownerId),
  ],
);
