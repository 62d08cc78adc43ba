-- sluice:revision 034
-- sluice:down-revision 033
-- sluice:message mediaassettype gltf_production
-- sluice:irreversible PostgreSQL cannot remove the gltf_production value from mediaassettype
-- sluice:upgrade
-- The full-quality glTF made for the production line, beside the lighter viewer model (gltf).
ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'gltf_production' AFTER 'gltf';
-- sluice:downgrade
-- PostgreSQL cannot remove a value from an enum: the value stays.
