-- The product page's relational example: each tenant's events, isolated by row-level security
-- (and stored in the tenant's own encrypted pages by weftkit-relational).
CREATE TABLE events (
  id         integer,
  tenant_id  text NOT NULL,
  kind       text
);
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events USING (tenant_id = current_setting('app.tenant_id'));
