-- The one resource of weftkit-kv: roles.yaml's allow and deny lists name it like a table.
CREATE TABLE items (key text, value text);
