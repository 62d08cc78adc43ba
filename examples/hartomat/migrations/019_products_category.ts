import { defineMigration } from "sluice";

export default defineMigration({
  revision: "019",
  downRevision: "018",
  message: "products category",
  upgrade(op) {
    op.addColumn("products", { name: "category", type: "varchar(100)", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("products", "category");
  },
});
