import { defineMigration } from "sluice";

export default defineMigration({
  revision: "021",
  downRevision: "020",
  message: "order lines unit price",
  upgrade(op) {
    op.addColumn("order_lines", { name: "unit_price", type: "numeric(12,2)", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("order_lines", "unit_price");
  },
});
