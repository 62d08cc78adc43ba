import { defineMigration } from "sluice";

export default defineMigration({
  revision: "041",
  downRevision: "040",
  message: "orders updated at",
  upgrade(op) {
    op.addColumn("orders", { name: "updated_at", type: "timestamptz", nullable: false, serverDefault: "now()" });
  },
  downgrade(op) {
    op.dropColumn("orders", "updated_at");
  },
});
