import { defineMigration } from "sluice";

export default defineMigration({
  revision: "043",
  downRevision: "042",
  message: "cad files status check",
  upgrade(op) {
    op.execute("UPDATE cad_files SET status = 'failed' WHERE status NOT IN ('uploaded', 'processing', 'processed', 'failed')");
    op.createCheckConstraint("ck_cad_files_status", "cad_files", "status IN ('uploaded', 'processing', 'processed', 'failed')");
  },
  downgrade(op) {
    op.dropConstraint("ck_cad_files_status", "cad_files");
  },
});
