import { defineMigration } from "sluice";

export default defineMigration({
  revision: "017",
  downRevision: "016",
  message: "orders created by",
  upgrade(op) {
    // Orders outlive the account that placed them.
    op.addColumn("orders", {
      name: "created_by",
      type: "uuid",
      nullable: true,
      references: { table: "users", column: "id", onDelete: "SET NULL" },
    });
  },
  downgrade(op) {
    op.dropColumn("orders", "created_by");
  },
});
