/**
 * The API's request and response shapes (zod), one block per table in
 * ../db/schema.ts. A nullable column is `.nullable()` in the response and
 * optional in the request; a column with a server default is optional on
 * create.
 */
import { z } from "zod";

const id = z.uuid();
const timestamp = z.coerce.date();
/** numeric columns travel as strings so no precision is lost. */
const decimal = (scale: number) => z.string().regex(new RegExp(`^-?\\d+(\\.\\d{1,${scale}})?$`));

export const UserRole = z.enum(["global_admin", "tenant_admin", "admin", "editor", "viewer"]);
export const MediaAssetType = z.enum(["image", "video", "document", "thumbnail", "gltf", "gltf_production"]);
export const OrderStatus = z.enum(["draft", "submitted", "in_production", "completed", "cancelled"]);
export const CadFileStatus = z.enum(["uploaded", "processing", "processed", "failed"]);

// tenants
export const Tenant = z.object({
  id,
  name: z.string().max(200),
  slug: z.string().max(64),
  createdAt: timestamp,
  isActive: z.boolean(),
});
export const TenantCreate = z.object({
  name: z.string().min(1).max(200),
  slug: z.string().regex(/^[a-z0-9-]+$/).max(64),
  isActive: z.boolean().optional(),
});
export const TenantUpdate = TenantCreate.partial();

// users
export const User = z.object({
  id,
  tenantId: id.nullable(),
  email: z.email().max(320),
  role: UserRole,
  createdAt: timestamp,
  lastLoginAt: timestamp.nullable(),
  fullName: z.string().max(200).nullable(),
  isActive: z.boolean(),
});
export const UserCreate = z
  .object({
    tenantId: id.nullable().optional(),
    email: z.email().max(320),
    password: z.string().min(12),
    role: UserRole.optional(),
    fullName: z.string().max(200).optional(),
  })
  .refine((u) => u.role === "global_admin" || u.tenantId, {
    message: "Only a global admin may have no tenant.",
    path: ["tenantId"],
  });
export const UserUpdate = z.object({
  role: UserRole.optional(),
  fullName: z.string().max(200).nullable().optional(),
  isActive: z.boolean().optional(),
});

// products
export const Product = z.object({
  id,
  tenantId: id,
  sku: z.string().max(64),
  name: z.string().max(200),
  description: z.string().nullable(),
  createdAt: timestamp,
  legacyErpCode: z.string().max(64).nullable(),
  category: z.string().max(100).nullable(),
  isActive: z.boolean(),
  updatedAt: timestamp,
  pimId: z.string().max(64).nullable(),
});
export const ProductCreate = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  category: z.string().max(100).optional(),
  isActive: z.boolean().optional(),
  pimId: z.string().min(1).max(64).optional(),
});
export const ProductUpdate = ProductCreate.partial().extend({
  description: z.string().nullable().optional(),
  category: z.string().max(100).nullable().optional(),
  pimId: z.string().min(1).max(64).nullable().optional(),
});

// cad_files
export const CadFile = z.object({
  id,
  productId: id,
  filename: z.string().max(255),
  storageKey: z.string(),
  createdAt: timestamp,
  status: CadFileStatus,
  fileSize: z.number().int().nonnegative().nullable(),
  errorMessage: z.string().nullable(),
  uploadedBy: id.nullable(),
  processedAt: timestamp.nullable(),
  originalFormat: z.string().max(16).nullable(),
});
export const CadFileCreate = z.object({
  productId: id,
  filename: z.string().min(1).max(255),
  storageKey: z.string().min(1),
  fileSize: z.number().int().nonnegative().optional(),
});
export const CadFileStatusUpdate = z.object({
  status: CadFileStatus,
  errorMessage: z.string().nullable().optional(),
});

// media_assets
export const MediaAsset = z.object({
  id,
  productId: id.nullable(),
  assetType: MediaAssetType,
  storageKey: z.string(),
  createdAt: timestamp,
  mimeType: z.string().max(100).nullable(),
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  cadFileId: id.nullable(),
  metadata: z.record(z.string(), z.unknown()),
  sortOrder: z.number().int(),
});
export const MediaAssetCreate = z.object({
  productId: id.optional(),
  assetType: MediaAssetType,
  storageKey: z.string().min(1),
  mimeType: z.string().max(100).optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  cadFileId: id.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  sortOrder: z.number().int().optional(),
});

// orders
export const Order = z.object({
  id,
  tenantId: id,
  orderNumber: z.string().max(32),
  status: OrderStatus,
  createdAt: timestamp,
  createdBy: id.nullable(),
  notes: z.string().nullable(),
  currency: z.string().length(3),
  submittedAt: timestamp.nullable(),
  updatedAt: timestamp,
});
export const OrderCreate = z.object({
  orderNumber: z.string().min(1).max(32),
  notes: z.string().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
});
export const OrderUpdate = z.object({
  status: OrderStatus.optional(),
  notes: z.string().nullable().optional(),
});

// order_lines
export const RenderJobDoc = z.object({
  jobId: z.string(),
  state: z.enum(["queued", "rendering", "done", "failed"]),
  positions: z.array(z.string()).optional(),
  outputs: z.array(z.object({ position: z.string(), storageKey: z.string() })).optional(),
  error: z.string().optional(),
});
export const OrderLine = z.object({
  id,
  orderId: id,
  productId: id,
  quantity: z.number().int().positive(),
  createdAt: timestamp,
  unitPrice: decimal(2).nullable(),
  renderJobDoc: RenderJobDoc.nullable(),
});
export const OrderLineCreate = z.object({
  productId: id,
  quantity: z.number().int().positive().optional(),
  unitPrice: decimal(2).optional(),
});
export const OrderLineUpdate = z.object({
  quantity: z.number().int().positive().optional(),
  unitPrice: decimal(2).nullable().optional(),
  renderJobDoc: RenderJobDoc.nullable().optional(),
});

// system_settings
export const SystemSetting = z.object({
  key: z.string().max(128),
  value: z.string(),
  description: z.string().nullable(),
  updatedAt: timestamp,
});
export const SystemSettingUpdate = z.object({
  value: z.string(),
  description: z.string().nullable().optional(),
});

// render_positions
export const RenderPosition = z.object({
  id,
  tenantId: id.nullable(),
  name: z.string().max(64),
  azimuthDeg: decimal(2),
  elevationDeg: decimal(2),
  sortOrder: z.number().int(),
  createdAt: timestamp,
});
export const RenderPositionCreate = z.object({
  name: z.string().min(1).max(64),
  azimuthDeg: decimal(2),
  elevationDeg: decimal(2),
  sortOrder: z.number().int().optional(),
});

export type Tenant = z.infer<typeof Tenant>;
export type User = z.infer<typeof User>;
export type Product = z.infer<typeof Product>;
export type CadFile = z.infer<typeof CadFile>;
export type MediaAsset = z.infer<typeof MediaAsset>;
export type Order = z.infer<typeof Order>;
export type OrderLine = z.infer<typeof OrderLine>;
export type SystemSetting = z.infer<typeof SystemSetting>;
export type RenderPosition = z.infer<typeof RenderPosition>;

/**
 * One schema per table for a whole row, keyed by table name (`apiSchemas` in
 * sluice.config.ts): the response schemas, plus what the API never returns.
 */
export const apiSchemas = {
  tenants: Tenant,
  users: User.extend({ passwordHash: z.string() }),
  products: Product,
  cad_files: CadFile,
  media_assets: MediaAsset,
  orders: Order,
  order_lines: OrderLine,
  system_settings: SystemSetting,
  render_positions: RenderPosition,
};
