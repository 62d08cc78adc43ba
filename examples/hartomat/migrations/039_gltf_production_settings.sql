-- sluice:revision 039
-- sluice:down-revision 038
-- sluice:message more gltf_production settings
-- sluice:upgrade
INSERT INTO system_settings (key, value, description) VALUES
  ('gltf_production_linear_deflection_relative', 'true', 'Whether gltf_production_linear_deflection is relative to the edge length'),
  ('gltf_production_linear_deflection_min', '0.01', 'Lower bound for a relative linear deflection, in mm')
ON CONFLICT (key) DO NOTHING;
-- sluice:downgrade
DELETE FROM system_settings
WHERE key IN ('gltf_production_linear_deflection_relative', 'gltf_production_linear_deflection_min');
