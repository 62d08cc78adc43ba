import { defineMigration } from "sluice";

export default defineMigration({
  revision: "033",
  downRevision: "032",
  message: "orders submitted at",
  upgrade(op) {
    op.addColumn("orders", { name: "submitted_at", type: "timestamptz", nullable: true });
    // Best known value for orders submitted before the column existed.
    op.execute("UPDATE orders SET submitted_at = created_at WHERE status <> 'draft' AND submitted_at IS NULL");
  },
  downgrade(op) {
    op.dropColumn("orders", "submitted_at");
  },
});
