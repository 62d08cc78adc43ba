import { defineMigration } from "sluice";

export default defineMigration({
  revision: "013",
  downRevision: "012",
  message: "users last login at",
  upgrade(op) {
    op.addColumn("users", { name: "last_login_at", type: "timestamptz", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("users", "last_login_at");
  },
});
