-- sluice:revision 001
-- sluice:down-revision none
-- sluice:message create tenants
-- sluice:upgrade
CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(200) NOT NULL,
  slug varchar(64) NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- sluice:downgrade
DROP TABLE tenants;
