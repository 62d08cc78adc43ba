import { defineMigration } from "sluice";

export default defineMigration({
  revision: "055",
  downRevision: "054",
  message: "index order lines product id",
  upgrade(op) {
    // Deleting a product checks order_lines (ON DELETE RESTRICT): give that lookup an index.
    op.createIndex("ix_order_lines_product_id", "order_lines", ["product_id"]);
  },
  downgrade(op) {
    op.dropIndex("ix_order_lines_product_id");
  },
});
