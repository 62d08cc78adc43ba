-- sluice:revision 058
-- sluice:down-revision 057
-- sluice:message rename thumbnail_size to media_thumbnail_size_px
-- sluice:upgrade
UPDATE system_settings SET key = 'media_thumbnail_size_px' WHERE key = 'thumbnail_size';
-- sluice:downgrade
UPDATE system_settings SET key = 'thumbnail_size' WHERE key = 'media_thumbnail_size_px';
