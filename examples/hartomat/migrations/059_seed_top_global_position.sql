-- sluice:revision 059
-- sluice:down-revision 058
-- sluice:message seed top global position
-- sluice:upgrade
-- The top view becomes the first global position; the others move down one place.
UPDATE render_positions SET sort_order = sort_order + 1 WHERE tenant_id IS NULL;
INSERT INTO render_positions (tenant_id, name, azimuth_deg, elevation_deg, sort_order)
VALUES (NULL, 'top', 0, 90, 0);
-- sluice:downgrade
DELETE FROM render_positions WHERE tenant_id IS NULL AND name = 'top';
UPDATE render_positions SET sort_order = sort_order - 1 WHERE tenant_id IS NULL;
