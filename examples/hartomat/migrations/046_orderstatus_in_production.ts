import { defineMigration } from "sluice";

export default defineMigration({
  revision: "046",
  downRevision: "045",
  message: "orderstatus in_production",
  irreversible: "PostgreSQL cannot remove the in_production value from orderstatus",
  upgrade(op) {
    op.addEnumValue("orderstatus", "in_production", { ifNotExists: true, after: "submitted" });
  },
  downgrade(op) {
    // PostgreSQL cannot remove a value from an enum: the value stays.
  },
});
