import { defineMigration } from "sluice";

export default defineMigration({
  revision: "038",
  downRevision: "037",
  message: "orders currency not null",
  upgrade(op) {
    op.execute("UPDATE orders SET currency = 'EUR' WHERE currency IS NULL");
    op.alterColumn("orders", "currency", { serverDefault: "'EUR'", nullable: false });
  },
  downgrade(op) {
    op.alterColumn("orders", "currency", { serverDefault: null, nullable: true });
  },
});
