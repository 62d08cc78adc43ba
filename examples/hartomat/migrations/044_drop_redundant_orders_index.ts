import { defineMigration } from "sluice";

export default defineMigration({
  revision: "044",
  downRevision: "043",
  message: "drop redundant orders index",
  transactional: false,
  upgrade(op) {
    // ix_orders_tenant_id_status (040) serves every lookup by tenant_id as well.
    op.dropIndex("ix_orders_tenant_id", { concurrently: true });
  },
  downgrade(op) {
    op.createIndex("ix_orders_tenant_id", "orders", ["tenant_id"], { concurrently: true });
  },
});
