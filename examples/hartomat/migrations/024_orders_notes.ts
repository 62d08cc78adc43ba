import { defineMigration } from "sluice";

export default defineMigration({
  revision: "024",
  downRevision: "023",
  message: "orders notes",
  upgrade(op) {
    op.addColumn("orders", { name: "notes", type: "text", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("orders", "notes");
  },
});
