-- sluice:revision 011
-- sluice:down-revision 010
-- sluice:message create orders
-- sluice:upgrade
CREATE TYPE orderstatus AS ENUM ('draft', 'submitted', 'completed', 'cancelled');

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  order_number varchar(32) NOT NULL UNIQUE,
  status orderstatus NOT NULL DEFAULT 'draft',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_orders_tenant_id ON orders (tenant_id);
-- sluice:downgrade
DROP TABLE orders;
DROP TYPE orderstatus;
