import { defineMigration } from "sluice";

export default defineMigration({
  revision: "016",
  downRevision: "015",
  message: "index media assets product id",
  upgrade(op) {
    op.createIndex("ix_media_assets_product_id", "media_assets", ["product_id"]);
  },
  downgrade(op) {
    op.dropIndex("ix_media_assets_product_id");
  },
});
