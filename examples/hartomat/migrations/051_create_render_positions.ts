import { defineMigration } from "sluice";

export default defineMigration({
  revision: "051",
  downRevision: "050",
  message: "create render positions",
  upgrade(op) {
    // Camera positions for product renders: global ones (tenant_id NULL) and a tenant's own.
    op.createTable("render_positions", [
      { name: "id", type: "uuid", primaryKey: true, serverDefault: "gen_random_uuid()" },
      { name: "tenant_id", type: "uuid", references: { table: "tenants", column: "id", onDelete: "CASCADE" } },
      { name: "name", type: "varchar(64)", nullable: false },
      { name: "azimuth_deg", type: "numeric(6,2)", nullable: false },
      { name: "elevation_deg", type: "numeric(6,2)", nullable: false },
      { name: "sort_order", type: "integer", nullable: false, serverDefault: 0 },
      { name: "created_at", type: "timestamptz", nullable: false, serverDefault: "now()" },
    ]);
    // A name is unique among the global positions, and within each tenant's own.
    op.createIndex("uq_render_positions_global_name", "render_positions", ["name"], { unique: true, where: "tenant_id IS NULL" });
    op.createIndex("uq_render_positions_tenant_name", "render_positions", ["tenant_id", "name"], { unique: true, where: "tenant_id IS NOT NULL" });
  },
  downgrade(op) {
    op.dropTable("render_positions");
  },
});
