-- sluice:revision 012
-- sluice:down-revision 011
-- sluice:message create order lines
-- sluice:upgrade
-- A product that still appears on an order cannot be deleted: deactivate it instead.
CREATE TABLE order_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  quantity integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- sluice:downgrade
DROP TABLE order_lines;
