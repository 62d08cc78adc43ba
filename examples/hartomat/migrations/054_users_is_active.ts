import { defineMigration } from "sluice";

export default defineMigration({
  revision: "054",
  downRevision: "053",
  message: "users is active",
  upgrade(op) {
    op.addColumn("users", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
  },
  downgrade(op) {
    op.dropColumn("users", "is_active");
  },
});
