/**
 * The HartOMat data model (Drizzle). It describes the database as the
 * migrations leave it at their head: `sluice diff` compares the two, and
 * `sluice revision --autogenerate` writes the next migration from what this
 * file adds. Columns are listed in the order the migrations created them.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

/** Highest first (049 put the two new roles before `admin`). */
export const userRole = pgEnum("userrole", ["global_admin", "tenant_admin", "admin", "editor", "viewer"]);

export const mediaAssetType = pgEnum("mediaassettype", ["image", "video", "document", "thumbnail", "gltf", "gltf_production"]);

export const orderStatus = pgEnum("orderstatus", ["draft", "submitted", "in_production", "completed", "cancelled"]);

export const cadFileStatuses = ["uploaded", "processing", "processed", "failed"] as const;

export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: varchar("name", { length: 200 }).notNull(),
  slug: varchar("slug", { length: 64 }).notNull().unique("tenants_slug_key"),
  createdAt: createdAt(),
  isActive: boolean("is_active").notNull().default(true),
});

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** NULL for platform staff (global admins), who belong to no tenant. */
    tenantId: uuid("tenant_id"),
    email: varchar("email", { length: 320 }).notNull().unique("users_email_key"),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull().default("viewer"),
    createdAt: createdAt(),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    fullName: varchar("full_name", { length: 200 }),
    isActive: boolean("is_active").notNull().default(true),
  },
  (t) => [
    foreignKey({ name: "users_tenant_id_fkey", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("ix_users_tenant_id").on(t.tenantId),
  ],
);

export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull(),
    sku: varchar("sku", { length: 64 }).notNull(),
    name: varchar("name", { length: 200 }).notNull(),
    description: text("description"),
    createdAt: createdAt(),
    /** The article number in the old ERP, still read by the nightly ERP export. */
    legacyErpCode: varchar("legacy_erp_code", { length: 64 }),
    category: varchar("category", { length: 100 }),
    isActive: boolean("is_active").notNull().default(true),
    updatedAt: updatedAt(),
    /** The product's id in the PIM; NULL until the product is matched there. */
    pimId: varchar("pim_id", { length: 64 }),
  },
  (t) => [
    foreignKey({ name: "products_tenant_id_fkey", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    unique("uq_products_tenant_sku").on(t.tenantId, t.sku),
    uniqueIndex("uq_products_pim_id").on(t.pimId).where(sql`pim_id IS NOT NULL`),
  ],
);

export const cadFiles = pgTable(
  "cad_files",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id").notNull(),
    filename: varchar("filename", { length: 255 }).notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: createdAt(),
    status: varchar("status", { length: 32, enum: cadFileStatuses }).notNull().default("uploaded"),
    fileSize: bigint("file_size", { mode: "number" }),
    errorMessage: text("error_message"),
    uploadedBy: uuid("uploaded_by"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    /** The upload's file extension, lower case: `step`, `stp`, `iges`, … */
    originalFormat: varchar("original_format", { length: 16 }),
  },
  (t) => [
    foreignKey({ name: "cad_files_product_id_fkey", columns: [t.productId], foreignColumns: [products.id] }).onDelete("cascade"),
    foreignKey({ name: "cad_files_uploaded_by_fkey", columns: [t.uploadedBy], foreignColumns: [users.id] }).onDelete("set null"),
    index("ix_cad_files_product_id").on(t.productId),
    check("ck_cad_files_status", sql`status IN ('uploaded', 'processing', 'processed', 'failed')`),
  ],
);

export const mediaAssets = pgTable(
  "media_assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id"),
    assetType: mediaAssetType("asset_type").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: createdAt(),
    mimeType: varchar("mime_type", { length: 100 }),
    width: integer("width"),
    height: integer("height"),
    /** The CAD file a converted model or render was made from. */
    cadFileId: uuid("cad_file_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    sortOrder: integer("sort_order").notNull().default(0),
  },
  (t) => [
    foreignKey({ name: "media_assets_product_id_fkey", columns: [t.productId], foreignColumns: [products.id] }).onDelete("cascade"),
    foreignKey({ name: "media_assets_cad_file_id_fkey", columns: [t.cadFileId], foreignColumns: [cadFiles.id] }).onDelete("set null"),
    index("ix_media_assets_product_id").on(t.productId),
    index("ix_media_assets_cad_file_id").on(t.cadFileId),
  ],
);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull(),
    orderNumber: varchar("order_number", { length: 32 }).notNull().unique("orders_order_number_key"),
    status: orderStatus("status").notNull().default("draft"),
    createdAt: createdAt(),
    createdBy: uuid("created_by"),
    notes: text("notes"),
    currency: char("currency", { length: 3 }).notNull().default("EUR"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ name: "orders_tenant_id_fkey", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ name: "orders_created_by_fkey", columns: [t.createdBy], foreignColumns: [users.id] }).onDelete("set null"),
    index("ix_orders_tenant_id_status").on(t.tenantId, t.status),
    index("ix_orders_created_by").on(t.createdBy),
  ],
);

/** The render farm's report of the job an order line triggered. */
export interface RenderJobDoc {
  jobId: string;
  state: "queued" | "rendering" | "done" | "failed";
  positions?: string[];
  outputs?: { position: string; storageKey: string }[];
  error?: string;
}

export const orderLines = pgTable(
  "order_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id").notNull(),
    productId: uuid("product_id").notNull(),
    quantity: integer("quantity").notNull().default(1),
    createdAt: createdAt(),
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }),
    renderJobDoc: jsonb("render_job_doc").$type<RenderJobDoc>(),
  },
  (t) => [
    foreignKey({ name: "order_lines_order_id_fkey", columns: [t.orderId], foreignColumns: [orders.id] }).onDelete("cascade"),
    // A product still on an order cannot be deleted: deactivate it instead.
    foreignKey({ name: "order_lines_product_id_fkey", columns: [t.productId], foreignColumns: [products.id] }).onDelete("restrict"),
    index("ix_order_lines_product_id").on(t.productId),
    check("ck_order_lines_quantity_positive", sql`quantity > 0`),
  ],
);

/** Key/value settings of the whole installation (tessellation, rendering, media). */
export const systemSettings = pgTable("system_settings", {
  key: varchar("key", { length: 128 }).primaryKey(),
  value: text("value").notNull(),
  description: text("description"),
  updatedAt: updatedAt(),
});

/** Camera positions for product renders: global ones (tenant_id NULL) and a tenant's own. */
export const renderPositions = pgTable(
  "render_positions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id"),
    name: varchar("name", { length: 64 }).notNull(),
    azimuthDeg: numeric("azimuth_deg", { precision: 6, scale: 2 }).notNull(),
    elevationDeg: numeric("elevation_deg", { precision: 6, scale: 2 }).notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: "render_positions_tenant_id_fkey", columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("uq_render_positions_global_name").on(t.name).where(sql`tenant_id IS NULL`),
    uniqueIndex("uq_render_positions_tenant_name").on(t.tenantId, t.name).where(sql`tenant_id IS NOT NULL`),
  ],
);
