-- sluice:revision 050
-- sluice:down-revision 049
-- sluice:message admins become tenant admins
-- sluice:upgrade
-- A separate migration from 049: a new enum value cannot be used in the transaction that added it.
UPDATE users SET role = 'tenant_admin' WHERE role = 'admin' AND tenant_id IS NOT NULL;
UPDATE users SET role = 'global_admin' WHERE role = 'admin' AND tenant_id IS NULL;
-- sluice:downgrade
UPDATE users SET role = 'admin' WHERE role IN ('tenant_admin', 'global_admin');
