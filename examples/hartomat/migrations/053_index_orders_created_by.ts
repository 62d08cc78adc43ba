import { defineMigration } from "sluice";

export default defineMigration({
  revision: "053",
  downRevision: "052",
  message: "index orders created by",
  transactional: false,
  upgrade(op) {
    // Deleting a user sets orders.created_by to NULL (017): without an index that is a scan of orders.
    op.createIndex("ix_orders_created_by", "orders", ["created_by"], { concurrently: true });
  },
  downgrade(op) {
    op.dropIndex("ix_orders_created_by", { concurrently: true });
  },
});
