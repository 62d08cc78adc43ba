import { defineMigration } from "sluice";

export default defineMigration({
  revision: "002",
  downRevision: "001",
  message: "add product columns",
  upgrade(op) {
    // New optional column.
    op.addColumn("products", { name: "new_field", type: "varchar(200)", nullable: true });
    // New column with a server default.
    op.addColumn("products", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
    // JSONB column.
    op.addColumn("products", { name: "data", type: "jsonb", nullable: true });
    // UUID foreign key with cascade.
    op.addColumn("products", {
      name: "parent_id",
      type: "uuid",
      nullable: true,
      references: { table: "parents", column: "id", onDelete: "CASCADE" },
    });
    // Backfill after adding the column.
    op.execute("UPDATE products SET new_field = existing_field WHERE new_field IS NULL");
  },
  downgrade(op) {
    op.dropColumn("products", "parent_id");
    op.dropColumn("products", "data");
    op.dropColumn("products", "is_active");
    op.dropColumn("products", "new_field");
  },
});
