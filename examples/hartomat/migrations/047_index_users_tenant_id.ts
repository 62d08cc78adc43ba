import { defineMigration } from "sluice";

export default defineMigration({
  revision: "047",
  downRevision: "046",
  message: "index users tenant id",
  upgrade(op) {
    op.createIndex("ix_users_tenant_id", "users", ["tenant_id"]);
  },
  downgrade(op) {
    op.dropIndex("ix_users_tenant_id");
  },
});
