import { defineMigration } from "sluice";

export default defineMigration({
  revision: "007",
  downRevision: "006",
  message: "create media assets",
  upgrade(op) {
    op.createEnum("mediaassettype", ["image", "video", "document"]);
    op.createTable("media_assets", [
      { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
      { name: "product_id", type: "uuid", references: { table: "products", column: "id", onDelete: "CASCADE" } },
      { name: "asset_type", type: "mediaassettype", nullable: false },
      { name: "storage_key", type: "text", nullable: false },
      { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
    ]);
  },
  downgrade(op) {
    op.dropTable("media_assets");
    op.dropEnum("mediaassettype");
  },
});
