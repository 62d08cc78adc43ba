/**
 * Drizzle relations, declared on both sides of every foreign key in
 * schema.ts, so queries can load e.g. a product with its CAD files and a CAD
 * file with its product.
 */
import { relations } from "drizzle-orm";
import { cadFiles, mediaAssets, orderLines, orders, products, renderPositions, tenants, users } from "./schema.js";

export const tenantsRelations = relations(tenants, ({ many }) => ({
  users: many(users),
  products: many(products),
  orders: many(orders),
  renderPositions: many(renderPositions),
}));

export const usersRelations = relations(users, ({ one, many }) => ({
  tenant: one(tenants, { fields: [users.tenantId], references: [tenants.id] }),
  createdOrders: many(orders),
  uploadedCadFiles: many(cadFiles),
}));

export const productsRelations = relations(products, ({ one, many }) => ({
  tenant: one(tenants, { fields: [products.tenantId], references: [tenants.id] }),
  cadFiles: many(cadFiles),
  mediaAssets: many(mediaAssets),
  orderLines: many(orderLines),
}));

export const cadFilesRelations = relations(cadFiles, ({ one, many }) => ({
  product: one(products, { fields: [cadFiles.productId], references: [products.id] }),
  uploader: one(users, { fields: [cadFiles.uploadedBy], references: [users.id] }),
  mediaAssets: many(mediaAssets),
}));

export const mediaAssetsRelations = relations(mediaAssets, ({ one }) => ({
  product: one(products, { fields: [mediaAssets.productId], references: [products.id] }),
  cadFile: one(cadFiles, { fields: [mediaAssets.cadFileId], references: [cadFiles.id] }),
}));

export const ordersRelations = relations(orders, ({ one, many }) => ({
  tenant: one(tenants, { fields: [orders.tenantId], references: [tenants.id] }),
  creator: one(users, { fields: [orders.createdBy], references: [users.id] }),
  lines: many(orderLines),
}));

export const orderLinesRelations = relations(orderLines, ({ one }) => ({
  order: one(orders, { fields: [orderLines.orderId], references: [orders.id] }),
  product: one(products, { fields: [orderLines.productId], references: [products.id] }),
}));

export const renderPositionsRelations = relations(renderPositions, ({ one }) => ({
  tenant: one(tenants, { fields: [renderPositions.tenantId], references: [tenants.id] }),
}));
