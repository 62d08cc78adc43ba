// Views: pgView and pgMaterializedView with .as(qb) and .as(sql); an .existing() view is left alone.
import { sql, eq } from "drizzle-orm";
import { pgTable, pgView, pgMaterializedView, serial, integer, text, boolean } from "drizzle-orm/pg-core";

export const posts = pgTable("posts", {
  id: serial("id").primaryKey(),
  title: text("title").notNull(),
  published: boolean("published").notNull().default(false),
  authorId: integer("author_id"),
});

export const publishedPosts = pgView("published_posts").as((qb) => qb.select({ id: posts.id, title: posts.title }).from(posts).where(eq(posts.published, true)));
export const postTitles = pgView("post_titles", { id: integer("id"), title: text("title") }).as(sql`select id, title from posts`);
export const postCounts = pgMaterializedView("post_counts").as((qb) =>
  qb.select({ authorId: posts.authorId, n: sql<number>`count(*)::int`.as("n") }).from(posts).groupBy(posts.authorId),
);
export const legacyReport = pgView("legacy_report", { id: integer("id") }).existing();
