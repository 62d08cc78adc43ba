-- sluice:revision 001
-- sluice:down-revision none
-- sluice:message create products and media assets
-- sluice:upgrade
CREATE TYPE mediaassettype AS ENUM ('image', 'video');

CREATE TABLE parents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid()
);

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  existing_field text
);

CREATE TABLE media_assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind mediaassettype NOT NULL
);

INSERT INTO products (name, existing_field) VALUES ('chair', 'oak'), ('table', 'walnut');
-- sluice:downgrade
DROP TABLE media_assets;
DROP TABLE products;
DROP TABLE parents;
DROP TYPE mediaassettype;
