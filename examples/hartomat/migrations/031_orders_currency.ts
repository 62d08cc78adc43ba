import { defineMigration } from "sluice";

export default defineMigration({
  revision: "031",
  downRevision: "030",
  message: "orders currency",
  upgrade(op) {
    op.addColumn("orders", { name: "currency", type: "char(3)", nullable: true });
    // Every order so far was placed in euros.
    op.execute("UPDATE orders SET currency = 'EUR' WHERE currency IS NULL");
  },
  downgrade(op) {
    op.dropColumn("orders", "currency");
  },
});
