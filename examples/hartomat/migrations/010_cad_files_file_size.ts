import { defineMigration } from "sluice";

export default defineMigration({
  revision: "010",
  downRevision: "009",
  message: "cad files file size",
  upgrade(op) {
    op.addColumn("cad_files", { name: "file_size", type: "bigint", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("cad_files", "file_size");
  },
});
