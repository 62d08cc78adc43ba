-- sluice:revision 045
-- sluice:down-revision 044
-- sluice:message rename render_samples to cycles_samples
-- sluice:upgrade
UPDATE system_settings SET key = 'cycles_samples' WHERE key = 'render_samples';
-- sluice:downgrade
UPDATE system_settings SET key = 'render_samples' WHERE key = 'cycles_samples';
