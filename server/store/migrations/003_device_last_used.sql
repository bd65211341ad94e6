-- Schema version 3: when each device's token was last used, so unused tokens expire
-- (--token-idle-days). NULL: not since created_ms.
ALTER TABLE devices ADD COLUMN last_used_ms BIGINT;
