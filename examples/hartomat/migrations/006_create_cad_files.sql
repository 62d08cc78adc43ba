-- sluice:revision 006
-- sluice:down-revision 005
-- sluice:message create cad files
-- sluice:upgrade
CREATE TABLE cad_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  filename varchar(255) NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- sluice:downgrade
DROP TABLE cad_files;
