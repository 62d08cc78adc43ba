import { defineMigration } from "sluice";

export default defineMigration({
  revision: "032",
  downRevision: "031",
  message: "cad files uploaded by",
  upgrade(op) {
    op.addColumn("cad_files", {
      name: "uploaded_by",
      type: "uuid",
      nullable: true,
      references: { table: "users", column: "id", onDelete: "SET NULL" },
    });
  },
  downgrade(op) {
    op.dropColumn("cad_files", "uploaded_by");
  },
});
