// casing: "snake_case" — column names come from property keys, also inside indexes and foreign keys.
import { sql } from "drizzle-orm";
import { pgTable, serial, text, integer, timestamp, index, uniqueIndex } from "drizzle-orm/pg-core";

export const teamMembers = pgTable("team_members", {
  id: serial().primaryKey(),
  displayName: text().notNull(),
  teamId: integer().notNull(),
  invitedBy: integer().references(() => teamMembers.id),
  joinedAt: timestamp({ withTimezone: true }).defaultNow(),
}, (t) => [
  index("team_members_team_joined").on(t.teamId, t.joinedAt.desc()),
  uniqueIndex().on(t.teamId, t.displayName),
  index("team_members_name_lower").on(sql`lower(${t.displayName})`),
]);
