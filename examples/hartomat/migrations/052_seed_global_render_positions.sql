-- sluice:revision 052
-- sluice:down-revision 051
-- sluice:message seed global render positions
-- sluice:upgrade
INSERT INTO render_positions (tenant_id, name, azimuth_deg, elevation_deg, sort_order) VALUES
  (NULL, 'front', 0, 10, 0),
  (NULL, 'side', 90, 10, 1),
  (NULL, 'back', 180, 10, 2),
  (NULL, 'iso', 45, 30, 3);
-- sluice:downgrade
DELETE FROM render_positions WHERE tenant_id IS NULL AND name IN ('front', 'side', 'back', 'iso');
