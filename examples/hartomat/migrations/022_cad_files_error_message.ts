import { defineMigration } from "sluice";

export default defineMigration({
  revision: "022",
  downRevision: "021",
  message: "cad files error message",
  upgrade(op) {
    op.addColumn("cad_files", { name: "error_message", type: "text", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("cad_files", "error_message");
  },
});
