-- sluice:revision 030
-- sluice:down-revision 029
-- sluice:message rename tessellation settings to gltf_production
-- sluice:upgrade
-- The tessellation settings apply to the production glTF export only.
UPDATE system_settings SET key = 'gltf_production_linear_deflection' WHERE key = 'tessellation_linear_deflection';
UPDATE system_settings SET key = 'gltf_production_angular_deflection' WHERE key = 'tessellation_angular_deflection';
-- sluice:downgrade
UPDATE system_settings SET key = 'tessellation_angular_deflection' WHERE key = 'gltf_production_angular_deflection';
UPDATE system_settings SET key = 'tessellation_linear_deflection' WHERE key = 'gltf_production_linear_deflection';
