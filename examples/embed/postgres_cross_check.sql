-- The row-level security answers of expected_output.txt, asked of PostgreSQL 15 itself: the
-- same tables, data and policies, the same statements as the same users. Run it on a
-- throwaway server (it creates cluster-wide roles), as a superuser, from the repository root:
--   psql -X -h HOST -p PORT -f examples/embed/postgres_cross_check.sql
-- Privileges are granted to everyone here, since the permission checks are roles.yaml's (not
-- PostgreSQL's) business; the users are not table owners, so row-level security applies.
\set ON_ERROR_STOP 0
SET timezone = 'UTC';
\pset null NULL
CREATE ROLE analyst;
CREATE ROLE support;
CREATE ROLE alice LOGIN IN ROLE analyst;
CREATE ROLE bob LOGIN;
CREATE ROLE carol LOGIN;
CREATE ROLE dave LOGIN IN ROLE support;
\i examples/policies.sql
GRANT SELECT, INSERT, UPDATE ON orders, audit_log TO PUBLIC;
\copy orders FROM 'examples/embed/data/orders.csv' CSV HEADER
\copy audit_log FROM 'examples/embed/data/audit_log.csv' CSV HEADER

-- Scans.
SET ROLE bob; SET app.tenant_id = 'tenant-002'; SELECT * FROM orders ORDER BY id; RESET ROLE;
SET ROLE carol; SET app.tenant_id = 'tenant-001'; SELECT * FROM orders ORDER BY id; RESET ROLE;
SET ROLE alice; SET app.tenant_id = 'tenant-001'; SELECT * FROM orders ORDER BY id; RESET ROLE;
SET ROLE bob; SET app.tenant_id = 'tenant-002'; SELECT * FROM audit_log ORDER BY id; RESET ROLE;
SELECT * FROM audit_log ORDER BY id;  -- as the superuser (root in the example)

-- Writes.
SET ROLE bob; SET app.tenant_id = 'tenant-002';
INSERT INTO orders VALUES (10, 'tenant-002', 'Cyberdyne', 250, 'open', '2026-12-01');
INSERT INTO orders VALUES (11, 'tenant-001', 'Cyberdyne', 999, 'open', '2026-12-01');
INSERT INTO audit_log VALUES (6, 'tenant-002', 'bob', 'insert order 10', '2026-12-01 08:00:00+00');
INSERT INTO audit_log VALUES (7, 'tenant-002', 'alice', 'approve order 10', '2026-12-01 08:01:00+00');
RESET ROLE;
SET ROLE dave; SET app.tenant_id = 'tenant-002';
UPDATE orders SET status = 'closed' WHERE id = 7;
UPDATE orders SET status = 'on_hold' WHERE id = 7;
UPDATE orders SET status = 'on_hold' WHERE id = 4;
UPDATE orders SET status = 'on_hold' WHERE id = 2;
RESET ROLE;
SET ROLE bob; SET app.tenant_id = 'tenant-002'; SELECT * FROM orders ORDER BY id; RESET ROLE;

-- The reloaded policy.
ALTER POLICY analysts_see_settled ON orders USING (status IN ('paid', 'refunded', 'open'));
SET ROLE alice; SET app.tenant_id = 'tenant-001'; SELECT * FROM orders ORDER BY id; RESET ROLE;
SET ROLE bob; SET app.tenant_id = 'tenant-002'; SELECT id FROM orders ORDER BY id; RESET ROLE;
