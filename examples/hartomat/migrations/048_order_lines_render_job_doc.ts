import { defineMigration } from "sluice";

export default defineMigration({
  revision: "048",
  downRevision: "047",
  message: "render_job_doc JSONB on order_lines",
  upgrade(op) {
    // The render job an order line triggered, as the render farm reported it.
    op.addColumn("order_lines", { name: "render_job_doc", type: "jsonb", nullable: true });
  },
  downgrade(op) {
    op.dropColumn("order_lines", "render_job_doc");
  },
});
