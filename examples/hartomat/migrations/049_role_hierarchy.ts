import { defineMigration } from "sluice";

export default defineMigration({
  revision: "049",
  downRevision: "048",
  message: "role hierarchy: global_admin, tenant_admin",
  irreversible: "PostgreSQL cannot remove the global_admin and tenant_admin values from userrole",
  upgrade(op) {
    // Highest first: global_admin > tenant_admin > admin > editor > viewer.
    op.addEnumValue("userrole", "global_admin", { ifNotExists: true, before: "admin" });
    op.addEnumValue("userrole", "tenant_admin", { ifNotExists: true, before: "admin" });
  },
  downgrade(op) {
    // PostgreSQL cannot remove a value from an enum: the values stay.
  },
});
