import { defineMigration } from "sluice";

export default defineMigration({
  revision: "029",
  downRevision: "028",
  message: "products updated at",
  upgrade(op) {
    op.addColumn("products", { name: "updated_at", type: "timestamptz", nullable: false, serverDefault: "now()" });
  },
  downgrade(op) {
    op.dropColumn("products", "updated_at");
  },
});
