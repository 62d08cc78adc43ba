import { defineMigration } from "sluice";

export default defineMigration({
  revision: "056",
  downRevision: "055",
  message: "cad files original format",
  upgrade(op) {
    op.addColumn("cad_files", { name: "original_format", type: "varchar(16)", nullable: true });
    op.execute(`UPDATE cad_files
      SET original_format = lower(substring(filename from '\\.([A-Za-z0-9]+)$'))
      WHERE original_format IS NULL`);
  },
  downgrade(op) {
    op.dropColumn("cad_files", "original_format");
  },
});
