// A real-shaped application model: 62 tables in three schemas using every idiom together
// (enums, schemas, sequences, identity, generated columns, checks, custom types, JSON defaults,
// gin/gist/hash/brin indexes with operator classes, views, a materialized view, roles, RLS and policies).
import { sql, eq } from "drizzle-orm";
import {
  pgTable, pgSchema, pgEnum, pgSequence, pgView, pgMaterializedView, pgPolicy, pgRole, customType,
  uuid, text, varchar, integer, bigint, boolean, jsonb, timestamp, numeric, date, serial,
  index, uniqueIndex, primaryKey, foreignKey, unique, check,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const money = customType<{ data: number; driverData: string }>({ dataType: () => "numeric(12, 2)", toDriver: (v) => String(v) });

export const appUser = pgRole("sluice_corpus_app_user");
export const appAdmin = pgRole("sluice_corpus_app_admin", { createRole: true });

export const billing = pgSchema("billing");
export const audit = pgSchema("audit");

export const plan = pgEnum("plan", ["free", "team", "enterprise"]);
export const memberRole = pgEnum("member_role", ["owner", "admin", "member", "guest"]);
export const taskStatus = pgEnum("task_status", ["todo", "doing", "done"]);
export const priority = pgEnum("priority", ["low", "normal", "high"]);
export const moduleStatus = pgEnum("module_status", ["active", "paused", "archived"]);
export const invoiceState = billing.enum("invoice_state", ["draft", "open", "paid", "void"]);

export const ticketNumbers = pgSequence("ticket_numbers", { startWith: 1000, cache: 20 });
export const invoiceNumbers = billing.sequence("invoice_numbers", { startWith: 1 });

const orgScoped = sql`current_setting('app.org_id', true)`;

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: varchar("slug", { length: 64 }).notNull().unique(),
  name: text("name").notNull(),
  plan: plan("plan").notNull().default("free"),
  settings: jsonb("settings").notNull().default("{}"),
  limits: jsonb("limits").default({ seats: 5, projects: 3 }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("organizations_settings_gin").using("gin", t.settings),
  pgPolicy("organizations_member_read", { for: "select", to: appUser, using: sql`${t.id}::text = ${orgScoped}` }),
  pgPolicy("organizations_admin_all", { to: appAdmin, using: sql`true`, withCheck: sql`true` }),
]).enableRLS();

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull(),
  displayName: text("display_name").notNull().default(""),
  preferences: jsonb("preferences").notNull().default("{}"),
  locale: varchar("locale", { length: 10 }).default("en"),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  deletedAt: timestamp("deleted_at", { withTimezone: true }),
}, (t) => [
  uniqueIndex("users_email_lower").on(sql`lower(${t.email})`),
  index("users_last_seen").on(sql`${t.lastSeenAt} DESC NULLS LAST`),
  index("users_live").on(t.id).where(sql`${t.deletedAt} IS NULL`),
]);

export const memberships = pgTable("memberships", {
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  role: memberRole("role").notNull().default("member"),
  joinedAt: timestamp("joined_at", { withTimezone: true }).defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.userId] }),
  index("memberships_user").on(t.userId),
  pgPolicy("memberships_org", { for: "select", to: appUser, using: sql`${t.orgId}::text = ${orgScoped}` }),
]).enableRLS();

export const projects = pgTable("projects", {
  id: serial("id").primaryKey(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  key: varchar("key", { length: 10 }).notNull(),
  name: text("name").notNull(),
  archived: boolean("archived").notNull().default(false),
  options: jsonb("options").default([]),
  budget: money("budget").default(0),
}, (t) => [
  unique("projects_org_key").on(t.orgId, t.key),
  index("projects_name_pattern").on(sql`${t.name} text_pattern_ops`),
  check("projects_key_upper", sql`${t.key} = upper(${t.key})`),
]);

export const tasks = pgTable("tasks", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity({ startWith: 1, cache: 10 }),
  projectId: integer("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  number: integer("number").notNull().default(sql`nextval('ticket_numbers')`),
  title: text("title").notNull(),
  body: text("body"),
  status: taskStatus("status").notNull().default("todo"),
  priority: priority("priority").default("normal"),
  labels: text("labels").array().notNull().default(sql`'{}'::text[]`),
  meta: jsonb("meta").notNull().default({}),
  search: tsvector("search").generatedAlwaysAs(sql`to_tsvector('english'::regconfig, coalesce(title, '') || ' ' || coalesce(body, ''))`),
  dueOn: date("due_on"),
  estimate: numeric("estimate", { precision: 6, scale: 2 }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("tasks_search").using("gin", t.search),
  index("tasks_meta_path").using("gin", t.meta.op("jsonb_path_ops")),
  index("tasks_project_status").on(t.projectId, t.status, t.createdAt.desc()),
  index("tasks_created_brin").using("brin", t.createdAt),
  index("tasks_open").on(t.projectId).where(sql`${t.status} <> 'done'`),
  check("tasks_estimate_positive", sql`${t.estimate} IS NULL OR ${t.estimate} > 0`),
]);

export const comments = pgTable("comments", {
  id: uuid("id").primaryKey().defaultRandom(),
  taskId: bigint("task_id", { mode: "number" }).notNull().references(() => tasks.id, { onDelete: "cascade" }),
  authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
  body: text("body").notNull(),
  edited: boolean("edited").default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("comments_task_created").on(t.taskId, t.createdAt.asc().nullsFirst())]);

export const labels = pgTable("labels", {
  id: serial("id").primaryKey(),
  projectId: integer("project_id").notNull().references(() => projects.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  color: varchar("color", { length: 7 }).notNull().default("#cccccc"),
}, (t) => [uniqueIndex("labels_project_name").on(t.projectId, t.name), index("labels_name_hash").using("hash", t.name)]);

export const taskLabels = pgTable("task_labels", {
  taskId: bigint("task_id", { mode: "number" }).notNull(),
  labelId: integer("label_id").notNull(),
}, (t) => [
  primaryKey({ columns: [t.taskId, t.labelId] }),
  foreignKey({ columns: [t.taskId], foreignColumns: [tasks.id], name: "task_labels_task_fk" }).onDelete("cascade"),
  foreignKey({ columns: [t.labelId], foreignColumns: [labels.id], name: "task_labels_label_fk" }).onDelete("cascade"),
]);

export const invoices = billing.table("invoices", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  orgId: uuid("org_id").notNull().references(() => organizations.id),
  number: bigint("number", { mode: "number" }).notNull().default(sql`nextval('billing.invoice_numbers')`),
  state: invoiceState("state").notNull().default("draft"),
  total: money("total").notNull().default(0),
  lines: jsonb("lines").notNull().default("[]"),
  issuedOn: date("issued_on"),
}, (t) => [
  uniqueIndex("invoices_number").on(t.number),
  index("invoices_org_state").on(t.orgId, t.state),
  check("invoices_total_non_negative", sql`${t.total} >= 0`),
  pgPolicy("invoices_org", { for: "select", to: appUser, using: sql`${t.orgId}::text = ${orgScoped}` }),
]).enableRLS();

export const payments = billing.table("payments", {
  id: uuid("id").primaryKey().defaultRandom(),
  invoiceId: integer("invoice_id").notNull().references(() => invoices.id, { onDelete: "restrict" }),
  amount: money("amount").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).defaultNow(),
});

export const events = audit.table("events", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity({ startWith: 100, increment: 1, cache: 50 }),
  orgId: uuid("org_id"),
  actorId: uuid("actor_id"),
  action: text("action").notNull(),
  payload: jsonb("payload").notNull().default("{}"),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index("events_at_brin").using("brin", t.at),
  index("events_payload").using("gin", t.payload),
  index("events_org_at").on(t.orgId, t.at.desc()).where(sql`${t.orgId} IS NOT NULL`),
]);

export const featureFlags = pgTable("feature_flags", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("feature_flags_org_created").on(t.orgId, t.createdAt.desc()),
  index("feature_flags_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("feature_flags_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const notifications = pgTable("notifications", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(1),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("notifications_org_created").on(t.orgId, t.createdAt.desc()),
  index("notifications_name_lower").on(sql`lower(${t.name})`),
]);
export const notificationPrefs = pgTable("notification_prefs", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(2),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("notification_prefs_org_created").on(t.orgId, t.createdAt.desc()),
  uniqueIndex("notification_prefs_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),,
  pgPolicy("notification_prefs_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const integrations = pgTable("integrations", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(3),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("integrations_org_created").on(t.orgId, t.createdAt.desc()),
  index("integrations_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
]);
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(4),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("webhooks_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("webhooks_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const webhookDeliveries = pgTable("webhook_deliveries", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(5),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("webhook_deliveries_org_created").on(t.orgId, t.createdAt.desc()),
  index("webhook_deliveries_name_lower").on(sql`lower(${t.name})`),
]);
export const apiKeys = pgTable("api_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => webhookDeliveries.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(6),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("api_keys_org_created").on(t.orgId, t.createdAt.desc()),
  index("api_keys_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("api_keys_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const sessions = pgTable("sessions", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(7),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("sessions_org_created").on(t.orgId, t.createdAt.desc()),
  uniqueIndex("sessions_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),
]);
export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(8),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("invitations_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("invitations_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const teams = pgTable("teams", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(9),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("teams_org_created").on(t.orgId, t.createdAt.desc()),
  index("teams_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  index("teams_name_lower").on(sql`lower(${t.name})`),
]);
export const teamMembers = pgTable("team_members", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(10),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("team_members_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("team_members_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const milestones = pgTable("milestones", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(11),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("milestones_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const sprints = pgTable("sprints", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => milestones.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(12),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("sprints_org_created").on(t.orgId, t.createdAt.desc()),
  index("sprints_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  uniqueIndex("sprints_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),,
  pgPolicy("sprints_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const sprintItems = pgTable("sprint_items", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(13),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("sprint_items_org_created").on(t.orgId, t.createdAt.desc()),
  index("sprint_items_name_lower").on(sql`lower(${t.name})`),
]);
export const boards = pgTable("boards", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(14),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("boards_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("boards_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const boardColumns = pgTable("board_columns", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(15),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("board_columns_org_created").on(t.orgId, t.createdAt.desc()),
  index("board_columns_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
]);
export const cards = pgTable("cards", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(16),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("cards_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("cards_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const cardEvents = pgTable("card_events", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(17),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("card_events_org_created").on(t.orgId, t.createdAt.desc()),
  index("card_events_name_lower").on(sql`lower(${t.name})`),
  uniqueIndex("card_events_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),
]);
export const documents = pgTable("documents", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => cardEvents.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(18),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("documents_org_created").on(t.orgId, t.createdAt.desc()),
  index("documents_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("documents_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const documentVersions = pgTable("document_versions", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(19),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("document_versions_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const folders = pgTable("folders", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(20),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("folders_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("folders_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const files = pgTable("files", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(21),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("files_org_created").on(t.orgId, t.createdAt.desc()),
  index("files_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  index("files_name_lower").on(sql`lower(${t.name})`),
]);
export const fileShares = pgTable("file_shares", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(22),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("file_shares_org_created").on(t.orgId, t.createdAt.desc()),
  uniqueIndex("file_shares_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),,
  pgPolicy("file_shares_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const tags = pgTable("tags", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(23),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("tags_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const taggings = pgTable("taggings", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => tags.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(24),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("taggings_org_created").on(t.orgId, t.createdAt.desc()),
  index("taggings_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("taggings_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const reactions = pgTable("reactions", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(25),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("reactions_org_created").on(t.orgId, t.createdAt.desc()),
  index("reactions_name_lower").on(sql`lower(${t.name})`),
]);
export const mentions = pgTable("mentions", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(26),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("mentions_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("mentions_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const savedFilters = pgTable("saved_filters", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(27),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("saved_filters_org_created").on(t.orgId, t.createdAt.desc()),
  index("saved_filters_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  uniqueIndex("saved_filters_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),
]);
export const dashboards = pgTable("dashboards", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(28),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("dashboards_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("dashboards_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const widgets = pgTable("widgets", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(29),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("widgets_org_created").on(t.orgId, t.createdAt.desc()),
  index("widgets_name_lower").on(sql`lower(${t.name})`),
]);
export const reports = pgTable("reports", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => widgets.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(30),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("reports_org_created").on(t.orgId, t.createdAt.desc()),
  index("reports_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("reports_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const reportRuns = pgTable("report_runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(31),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("report_runs_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const dataExports = pgTable("data_exports", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(32),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("data_exports_org_created").on(t.orgId, t.createdAt.desc()),
  uniqueIndex("data_exports_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),,
  pgPolicy("data_exports_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const dataImports = pgTable("data_imports", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(33),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("data_imports_org_created").on(t.orgId, t.createdAt.desc()),
  index("data_imports_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  index("data_imports_name_lower").on(sql`lower(${t.name})`),
]);
export const automations = pgTable("automations", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(34),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("automations_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("automations_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const automationRuns = pgTable("automation_runs", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(35),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("automation_runs_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const forms = pgTable("forms", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => automationRuns.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(36),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("forms_org_created").on(t.orgId, t.createdAt.desc()),
  index("forms_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("forms_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const formFields = pgTable("form_fields", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(37),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("form_fields_org_created").on(t.orgId, t.createdAt.desc()),
  index("form_fields_name_lower").on(sql`lower(${t.name})`),
  uniqueIndex("form_fields_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),
]);
export const formResponses = pgTable("form_responses", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(38),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("form_responses_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("form_responses_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const surveys = pgTable("surveys", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(39),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("surveys_org_created").on(t.orgId, t.createdAt.desc()),
  index("surveys_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
]);
export const surveyAnswers = pgTable("survey_answers", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(40),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("survey_answers_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("survey_answers_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const announcements = pgTable("announcements", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(41),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("announcements_org_created").on(t.orgId, t.createdAt.desc()),
  index("announcements_name_lower").on(sql`lower(${t.name})`),
]);
export const changelogEntries = pgTable("changelog_entries", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => announcements.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(42),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("changelog_entries_org_created").on(t.orgId, t.createdAt.desc()),
  index("changelog_entries_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  uniqueIndex("changelog_entries_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),,
  pgPolicy("changelog_entries_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const feedback = pgTable("feedback", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(43),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("feedback_org_created").on(t.orgId, t.createdAt.desc()),
]);
export const votes = pgTable("votes", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(44),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("votes_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("votes_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const subscriptionsUsage = pgTable("subscriptions_usage", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(45),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("subscriptions_usage_org_created").on(t.orgId, t.createdAt.desc()),
  index("subscriptions_usage_settings_path").using("gin", t.settings.op("jsonb_path_ops")),
  index("subscriptions_usage_name_lower").on(sql`lower(${t.name})`),
]);
export const quotas = pgTable("quotas", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(46),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("quotas_org_created").on(t.orgId, t.createdAt.desc()),,
  pgPolicy("quotas_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const rateLimits = pgTable("rate_limits", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(47),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("rate_limits_org_created").on(t.orgId, t.createdAt.desc()),
  uniqueIndex("rate_limits_org_name").on(t.orgId, t.name).where(sql`${t.status} <> 'archived'`),
]);
export const ipAllowlist = pgTable("ip_allowlist", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  parentId: uuid("parent_id").references(() => rateLimits.id, { onDelete: "set null" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(48),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("ip_allowlist_org_created").on(t.orgId, t.createdAt.desc()),
  index("ip_allowlist_settings_path").using("gin", t.settings.op("jsonb_path_ops")),,
  pgPolicy("ip_allowlist_org", { to: appUser, using: sql`${t.orgId}::text = ${orgScoped}`, withCheck: sql`${t.orgId}::text = ${orgScoped}` })
]).enableRLS();
export const ssoConnections = pgTable("sso_connections", {
  id: uuid("id").primaryKey().defaultRandom(),
  orgId: uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  status: moduleStatus("status").notNull().default("active"),
  settings: jsonb("settings").notNull().default("{}"),
  position: integer("position").notNull().default(49),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }),
}, (t) => [
  index("sso_connections_org_created").on(t.orgId, t.createdAt.desc()),
  index("sso_connections_name_lower").on(sql`lower(${t.name})`),
]);
export const openTasks = pgView("open_tasks").as((qb) =>
  qb.select({ id: tasks.id, projectId: tasks.projectId, title: tasks.title, status: tasks.status }).from(tasks).where(sql`${tasks.status} <> 'done'`),
);
export const projectTaskCounts = pgMaterializedView("project_task_counts", { projectId: integer("project_id"), open: integer("open") }).as(
  sql`select project_id, count(*)::int as open from tasks where status <> 'done' group by project_id`,
);
export const activeOrganizations = pgView("active_organizations", { id: uuid("id"), slug: varchar("slug", { length: 64 }) }).as(
  sql`select id, slug from organizations where plan <> 'free'`,
);
