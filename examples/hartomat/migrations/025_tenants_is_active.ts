import { defineMigration } from "sluice";

export default defineMigration({
  revision: "025",
  downRevision: "024",
  message: "tenants is active",
  upgrade(op) {
    op.addColumn("tenants", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
  },
  downgrade(op) {
    op.dropColumn("tenants", "is_active");
  },
});
