import { defineMigration } from "sluice";

export default defineMigration({
  revision: "028",
  downRevision: "027",
  message: "media assets cad file id",
  upgrade(op) {
    // A converted model or render remembers the CAD file it was made from.
    op.addColumn("media_assets", {
      name: "cad_file_id",
      type: "uuid",
      nullable: true,
      references: { table: "cad_files", column: "id", onDelete: "SET NULL" },
    });
    op.createIndex("ix_media_assets_cad_file_id", "media_assets", ["cad_file_id"]);
  },
  downgrade(op) {
    op.dropIndex("ix_media_assets_cad_file_id");
    op.dropColumn("media_assets", "cad_file_id");
  },
});
