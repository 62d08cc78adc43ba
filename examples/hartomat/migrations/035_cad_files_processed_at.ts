import { defineMigration } from "sluice";

export default defineMigration({
  revision: "035",
  downRevision: "034",
  message: "cad files processed at",
  upgrade(op) {
    op.addColumn("cad_files", { name: "processed_at", type: "timestamptz", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("cad_files", "processed_at");
  },
});
