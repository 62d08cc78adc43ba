import { defineMigration } from "sluice";

export default defineMigration({
  revision: "008",
  downRevision: "007",
  message: "products legacy erp code",
  upgrade(op) {
    // The article number of the old ERP, kept while products are matched to the PIM.
    op.addColumn("products", { name: "legacy_erp_code", type: "varchar(64)", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("products", "legacy_erp_code");
  },
});
