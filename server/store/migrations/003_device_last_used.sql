-- Schema version 3: when each device's token was last used, so unused tokens expire
-- (--token-idle-days). NULL: not since created_ms. Tokens that exist at the upgrade count as
-- used then: their past use was never recorded, and nobody should be logged out by an upgrade.
ALTER TABLE devices ADD COLUMN last_used_ms BIGINT;
UPDATE devices SET last_used_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000;
