import { defineMigration } from "sluice";

export default defineMigration({
  revision: "053",
  downRevision: "052",
  message: "unique render position names",
  upgrade(op) {
    // A name is unique among the global positions, and within each tenant's own.
    op.createIndex("uq_render_positions_global_name", "render_positions", ["name"], { unique: true, where: "tenant_id IS NULL" });
    op.createIndex("uq_render_positions_tenant_name", "render_positions", ["tenant_id", "name"], { unique: true, where: "tenant_id IS NOT NULL" });
  },
  downgrade(op) {
    op.dropIndex("uq_render_positions_tenant_name");
    op.dropIndex("uq_render_positions_global_name");
  },
});
