import { defineMigration } from "sluice";

export default defineMigration({
  revision: "004",
  downRevision: "003",
  message: "create system settings",
  upgrade(op) {
    op.createTable("system_settings", [
      { name: "key", type: "varchar(128)", primaryKey: true },
      { name: "value", type: "text", nullable: false },
      { name: "description", type: "text" },
      { name: "updated_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
    ]);
  },
  downgrade(op) {
    op.dropTable("system_settings");
  },
});
