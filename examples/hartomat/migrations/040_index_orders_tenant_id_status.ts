import { defineMigration } from "sluice";

export default defineMigration({
  revision: "040",
  downRevision: "039",
  message: "index orders tenant id status",
  transactional: false,
  upgrade(op) {
    // orders is busy during the day: build the index without blocking writes.
    op.createIndex("ix_orders_tenant_id_status", "orders", ["tenant_id", "status"], { concurrently: true });
  },
  downgrade(op) {
    op.dropIndex("ix_orders_tenant_id_status", { concurrently: true });
  },
});
