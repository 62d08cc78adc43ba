import { defineMigration } from "sluice";

export default defineMigration({
  revision: "037",
  downRevision: "036",
  message: "unique pim id",
  upgrade(op) {
    // Products not yet in the PIM have no pim_id; only the ones that do must be unique.
    op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
  },
  downgrade(op) {
    op.dropIndex("uq_products_pim_id");
  },
});
