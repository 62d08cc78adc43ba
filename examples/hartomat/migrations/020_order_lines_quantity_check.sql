-- sluice:revision 020
-- sluice:down-revision 019
-- sluice:message order lines quantity check
-- sluice:upgrade
UPDATE order_lines SET quantity = 1 WHERE quantity < 1;
ALTER TABLE order_lines ADD CONSTRAINT ck_order_lines_quantity_positive CHECK (quantity > 0);
-- sluice:downgrade
ALTER TABLE order_lines DROP CONSTRAINT ck_order_lines_quantity_positive;
