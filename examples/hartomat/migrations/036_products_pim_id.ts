import { defineMigration } from "sluice";

export default defineMigration({
  revision: "036",
  downRevision: "035",
  message: "products pim id",
  upgrade(op) {
    op.addColumn("products", { name: "pim_id", type: "varchar(64)", nullable: true });
    // The PIM was seeded with the ERP article numbers.
    op.execute("UPDATE products SET pim_id = legacy_erp_code WHERE pim_id IS NULL AND legacy_erp_code IS NOT NULL");
  },
  downgrade(op) {
    op.dropColumn("products", "pim_id");
  },
});
