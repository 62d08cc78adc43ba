-- Seed rows for a development database at revision 059:
--   sluice upgrade && psql "$DATABASE_URL" -f seed.sql
-- Two tenants, their people, products (some already matched to the PIM), CAD
-- uploads with the glTF files made from them, and a few orders.

INSERT INTO tenants (id, name, slug) VALUES
  ('00000000-0000-4000-8000-000000000001', 'Küchenwerk Nord GmbH', 'kuechenwerk-nord'),
  ('00000000-0000-4000-8000-000000000002', 'Alpen Sitzmöbel AG', 'alpen-sitzmoebel');
INSERT INTO tenants (id, name, slug, is_active) VALUES
  ('00000000-0000-4000-8000-000000000003', 'Demo Tenant (closed)', 'demo-closed', false);

INSERT INTO users (id, tenant_id, email, password_hash, role, full_name) VALUES
  ('00000000-0000-4000-8000-000000000101', NULL, 'ops@hartomat.example', '$argon2id$seed', 'global_admin', 'Platform Operations'),
  ('00000000-0000-4000-8000-000000000102', '00000000-0000-4000-8000-000000000001', 'anna.berg@kuechenwerk.example', '$argon2id$seed', 'tenant_admin', 'Anna Berg'),
  ('00000000-0000-4000-8000-000000000103', '00000000-0000-4000-8000-000000000001', 'jonas.kraft@kuechenwerk.example', '$argon2id$seed', 'editor', 'Jonas Kraft'),
  ('00000000-0000-4000-8000-000000000104', '00000000-0000-4000-8000-000000000002', 'lea.moser@alpen-sitz.example', '$argon2id$seed', 'tenant_admin', 'Lea Moser'),
  ('00000000-0000-4000-8000-000000000105', '00000000-0000-4000-8000-000000000002', 'viewer@alpen-sitz.example', '$argon2id$seed', 'viewer', NULL);

INSERT INTO products (id, tenant_id, sku, name, description, category, pim_id) VALUES
  ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000001', 'KW-1001', 'Hängeschrank 60', 'Wall cabinet, 60 cm, one door', 'cabinets', 'PIM-KW-1001'),
  ('00000000-0000-4000-8000-000000000202', '00000000-0000-4000-8000-000000000001', 'KW-1002', 'Unterschrank 80', 'Base cabinet, 80 cm, two drawers', 'cabinets', 'PIM-KW-1002'),
  ('00000000-0000-4000-8000-000000000203', '00000000-0000-4000-8000-000000000001', 'KW-2001', 'Arbeitsplatte Eiche', 'Oak worktop, 3 m', 'worktops', NULL),
  ('00000000-0000-4000-8000-000000000204', '00000000-0000-4000-8000-000000000002', 'AS-100', 'Stuhl Lärche', 'Larch chair', 'chairs', 'PIM-AS-100'),
  ('00000000-0000-4000-8000-000000000205', '00000000-0000-4000-8000-000000000002', 'AS-200', 'Bank Zirbe', 'Stone pine bench', 'benches', NULL);

INSERT INTO cad_files (id, product_id, filename, storage_key, status, file_size, uploaded_by, processed_at, original_format) VALUES
  ('00000000-0000-4000-8000-000000000301', '00000000-0000-4000-8000-000000000201', 'KW-1001_rev3.step', 'cad/kw/KW-1001_rev3.step', 'processed', 4823114, '00000000-0000-4000-8000-000000000103', now() - interval '2 days', 'step'),
  ('00000000-0000-4000-8000-000000000302', '00000000-0000-4000-8000-000000000202', 'KW-1002.stp', 'cad/kw/KW-1002.stp', 'processing', 7310022, '00000000-0000-4000-8000-000000000103', NULL, 'stp'),
  ('00000000-0000-4000-8000-000000000303', '00000000-0000-4000-8000-000000000204', 'AS-100.step', 'cad/as/AS-100.step', 'processed', 2210876, '00000000-0000-4000-8000-000000000104', now() - interval '5 days', 'step');
INSERT INTO cad_files (id, product_id, filename, storage_key, status, error_message, uploaded_by, original_format) VALUES
  ('00000000-0000-4000-8000-000000000304', '00000000-0000-4000-8000-000000000205', 'AS-200.igs', 'cad/as/AS-200.igs', 'failed', 'IGES surfaces could not be sewn into a solid', '00000000-0000-4000-8000-000000000104', 'igs');

INSERT INTO media_assets (id, product_id, cad_file_id, asset_type, storage_key, mime_type, width, height, metadata, sort_order) VALUES
  ('00000000-0000-4000-8000-000000000401', '00000000-0000-4000-8000-000000000201', NULL, 'image', 'media/kw/KW-1001_front.jpg', 'image/jpeg', 2048, 2048, '{"position": "front"}', 0),
  ('00000000-0000-4000-8000-000000000402', '00000000-0000-4000-8000-000000000201', NULL, 'thumbnail', 'media/kw/KW-1001_thumb.webp', 'image/webp', 512, 512, '{}', 1),
  ('00000000-0000-4000-8000-000000000403', '00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000301', 'gltf_production', 'media/kw/KW-1001.glb', 'model/gltf-binary', NULL, NULL, '{"triangles": 184220, "linear_deflection": 0.1}', 2),
  ('00000000-0000-4000-8000-000000000404', '00000000-0000-4000-8000-000000000204', '00000000-0000-4000-8000-000000000303', 'gltf', 'media/as/AS-100_preview.glb', 'model/gltf-binary', NULL, NULL, '{"triangles": 20311}', 0),
  ('00000000-0000-4000-8000-000000000405', '00000000-0000-4000-8000-000000000204', NULL, 'document', 'media/as/AS-100_assembly.pdf', 'application/pdf', NULL, NULL, '{}', 1);

INSERT INTO orders (id, tenant_id, order_number, status, created_by, notes, currency, submitted_at) VALUES
  ('00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000001', 'KW-2024-0001', 'completed', '00000000-0000-4000-8000-000000000102', 'Catalogue shots for the spring brochure', 'EUR', now() - interval '30 days'),
  ('00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000001', 'KW-2024-0002', 'in_production', '00000000-0000-4000-8000-000000000103', NULL, 'EUR', now() - interval '1 day'),
  ('00000000-0000-4000-8000-000000000503', '00000000-0000-4000-8000-000000000002', 'AS-2024-0001', 'draft', '00000000-0000-4000-8000-000000000104', NULL, 'CHF', NULL);

INSERT INTO order_lines (id, order_id, product_id, quantity, unit_price, render_job_doc) VALUES
  ('00000000-0000-4000-8000-000000000601', '00000000-0000-4000-8000-000000000501', '00000000-0000-4000-8000-000000000201', 4, 45.00,
   '{"jobId": "rj-7f3a", "state": "done", "positions": ["top", "front", "iso"], "outputs": [{"position": "top", "storageKey": "renders/rj-7f3a/top.png"}, {"position": "front", "storageKey": "renders/rj-7f3a/front.png"}, {"position": "iso", "storageKey": "renders/rj-7f3a/iso.png"}]}'),
  ('00000000-0000-4000-8000-000000000602', '00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000202', 2, 60.00,
   '{"jobId": "rj-81c0", "state": "rendering", "positions": ["front", "side"]}'),
  ('00000000-0000-4000-8000-000000000603', '00000000-0000-4000-8000-000000000502', '00000000-0000-4000-8000-000000000203', 1, NULL, NULL),
  ('00000000-0000-4000-8000-000000000604', '00000000-0000-4000-8000-000000000503', '00000000-0000-4000-8000-000000000204', 12, 38.50, NULL);

-- A tenant's own camera position beside the global ones.
INSERT INTO render_positions (tenant_id, name, azimuth_deg, elevation_deg, sort_order) VALUES
  ('00000000-0000-4000-8000-000000000001', 'kitchen-corner', 225, 20, 10);

-- The settings rows exist since the migrations (005, 030, 039, 045, 058); this
-- installation runs with its own values.
INSERT INTO system_settings (key, value, description) VALUES
  ('gltf_production_linear_deflection', '0.05', 'Maximum chord deviation when tessellating STEP surfaces, in mm'),
  ('gltf_production_angular_deflection', '0.3', 'Maximum angle between adjacent facets, in radians'),
  ('gltf_production_linear_deflection_relative', 'false', 'Whether gltf_production_linear_deflection is relative to the edge length'),
  ('cycles_samples', '128', 'Samples per pixel for product renders'),
  ('render_output_format', 'png', 'File format of product renders')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now();
