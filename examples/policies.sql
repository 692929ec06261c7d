-- Row-level security for the WeftKit Policy examples (PostgreSQL 15 semantics).
-- Tables are declared for their columns only; policies name roles from roles.yaml.

CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  tenant_id   text NOT NULL,
  customer    text,
  amount      integer,
  status      varchar(16),
  created     date
);

CREATE TABLE audit_log (
  id          bigint PRIMARY KEY,
  tenant_id   text NOT NULL,
  actor       text NOT NULL,
  action      text,
  at          timestamptz
);

ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

-- The product page's policy: a session sees and writes only its own tenant's rows.
CREATE POLICY tenant_isolation ON orders
  USING (tenant_id = current_setting('app.tenant_id'));

-- Analysts see settled orders only, whatever else lets them read.
CREATE POLICY analysts_see_settled ON orders AS RESTRICTIVE FOR SELECT TO analyst
  USING (status IN ('paid', 'refunded'));

-- Support may correct open orders, and may not move them to another tenant or close them.
CREATE POLICY support_edits_open ON orders AS RESTRICTIVE FOR UPDATE TO support
  USING (status = 'open')
  WITH CHECK (status IN ('open', 'on_hold') AND tenant_id = current_setting('app.tenant_id'));

-- The audit log: everyone in a tenant may read its entries and append entries as themselves.
CREATE POLICY audit_read ON audit_log FOR SELECT
  USING (tenant_id = current_setting('app.tenant_id'));
CREATE POLICY audit_append ON audit_log FOR INSERT
  WITH CHECK (tenant_id = current_setting('app.tenant_id') AND actor = current_user);
