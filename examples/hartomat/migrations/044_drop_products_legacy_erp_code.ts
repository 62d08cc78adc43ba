import { defineMigration } from "sluice";

export default defineMigration({
  revision: "044",
  downRevision: "043",
  message: "drop products legacy erp code",
  upgrade(op) {
    // Every product with an ERP code has had it copied to pim_id since 036.
    op.dropColumn("products", "legacy_erp_code", {
      allow: { "destructive-change": "legacy_erp_code was copied to pim_id in 036; the downgrade restores it from there" },
    });
  },
  downgrade(op) {
    op.addColumn("products", { name: "legacy_erp_code", type: "varchar(64)", nullable: true });
    op.execute("UPDATE products SET legacy_erp_code = pim_id WHERE pim_id IS NOT NULL");
  },
});
