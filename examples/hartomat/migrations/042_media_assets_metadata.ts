import { defineMigration } from "sluice";

export default defineMigration({
  revision: "042",
  downRevision: "041",
  message: "media assets metadata",
  upgrade(op) {
    op.addColumn("media_assets", { name: "metadata", type: "jsonb", nullable: false, serverDefault: "'{}'::jsonb" });
  },
  downgrade(op) {
    op.dropColumn("media_assets", "metadata");
  },
});
