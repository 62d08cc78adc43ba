-- sluice:revision 002
-- sluice:down-revision 001
-- sluice:message create users
-- sluice:upgrade
CREATE TYPE userrole AS ENUM ('admin', 'editor', 'viewer');

-- tenant_id is NULL for platform staff, who belong to no tenant.
CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
  email varchar(320) NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role userrole NOT NULL DEFAULT 'viewer',
  created_at timestamptz NOT NULL DEFAULT now()
);
-- sluice:downgrade
DROP TABLE users;
DROP TYPE userrole;
