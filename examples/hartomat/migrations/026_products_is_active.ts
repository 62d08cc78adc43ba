import { defineMigration } from "sluice";

export default defineMigration({
  revision: "026",
  downRevision: "025",
  message: "products is active",
  upgrade(op) {
    op.addColumn("products", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
  },
  downgrade(op) {
    op.dropColumn("products", "is_active");
  },
});
