import { defineMigration } from "sluice";

export default defineMigration({
  revision: "057",
  downRevision: "056",
  message: "media assets sort order",
  upgrade(op) {
    op.addColumn("media_assets", { name: "sort_order", type: "integer", nullable: false, serverDefault: 0 });
  },
  downgrade(op) {
    op.dropColumn("media_assets", "sort_order");
  },
});
