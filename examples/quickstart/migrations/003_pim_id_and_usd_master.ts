import { defineMigration } from "sluice";

export default defineMigration({
  revision: "003",
  downRevision: "002",
  message: "pim id and usd master",
  upgrade(op) {
    op.addColumn("products", { name: "pim_id", type: "varchar(64)", nullable: true });
    // Partial unique index.
    op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
    // Enum value, idempotent (PostgreSQL cannot drop an enum value, so the downgrade keeps it).
    op.addEnumValue("mediaassettype", "usd_master", { ifNotExists: true });
  },
  downgrade(op) {
    op.dropIndex("uq_products_pim_id");
    op.dropColumn("products", "pim_id");
  },
});
