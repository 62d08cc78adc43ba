import { defineMigration } from "sluice";

export default defineMigration({
  revision: "014",
  downRevision: "013",
  message: "media assets mime type and dimensions",
  upgrade(op) {
    op.addColumn("media_assets", { name: "mime_type", type: "varchar(100)", nullable: true });
    op.addColumn("media_assets", { name: "width", type: "integer", nullable: true });
    op.addColumn("media_assets", { name: "height", type: "integer", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("media_assets", "height");
    op.dropColumn("media_assets", "width");
    op.dropColumn("media_assets", "mime_type");
  },
});
