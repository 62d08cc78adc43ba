import { defineMigration } from "sluice";

export default defineMigration({
  revision: "003",
  downRevision: "002",
  message: "create products",
  upgrade(op) {
    op.createTable("products", [
      { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
      { name: "tenant_id", type: "uuid", nullable: false, references: { table: "tenants", column: "id", onDelete: "CASCADE" } },
      { name: "sku", type: "varchar(64)", nullable: false },
      { name: "name", type: "varchar(200)", nullable: false },
      { name: "description", type: "text" },
      { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
    ]);
    op.createUniqueConstraint("uq_products_tenant_sku", "products", ["tenant_id", "sku"]);
  },
  downgrade(op) {
    op.dropTable("products");
  },
});
