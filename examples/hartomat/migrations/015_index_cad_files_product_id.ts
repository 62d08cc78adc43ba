import { defineMigration } from "sluice";

export default defineMigration({
  revision: "015",
  downRevision: "014",
  message: "index cad files product id",
  upgrade(op) {
    op.createIndex("ix_cad_files_product_id", "cad_files", ["product_id"]);
  },
  downgrade(op) {
    op.dropIndex("ix_cad_files_product_id");
  },
});
