-- sluice:revision 005
-- sluice:down-revision 004
-- sluice:message default settings
-- sluice:upgrade
INSERT INTO system_settings (key, value, description) VALUES
  ('tessellation_linear_deflection', '0.1', 'Maximum chord deviation when tessellating STEP surfaces, in mm'),
  ('tessellation_angular_deflection', '0.5', 'Maximum angle between adjacent facets, in radians'),
  ('render_samples', '64', 'Samples per pixel for product renders'),
  ('render_engine', 'cycles', 'Renderer used for product images'),
  ('thumbnail_size', '512', 'Edge length of generated thumbnails, in pixels');
-- sluice:downgrade
DELETE FROM system_settings
WHERE key IN ('tessellation_linear_deflection', 'tessellation_angular_deflection', 'render_samples', 'render_engine', 'thumbnail_size');
