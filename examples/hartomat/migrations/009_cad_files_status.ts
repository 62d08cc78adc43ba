import { defineMigration } from "sluice";

export default defineMigration({
  revision: "009",
  downRevision: "008",
  message: "cad files status",
  upgrade(op) {
    op.addColumn("cad_files", { name: "status", type: "varchar(32)", nullable: false, serverDefault: "'uploaded'" });
  },
  downgrade(op) {
    op.dropColumn("cad_files", "status");
  },
});
