-- Issue 19: replies, forwards, mentions, edits, deletions, reactions and "delete for me".
-- A message row keeps the wire fields; a change event (edit, delete, reaction) keeps its own
-- (ref_seq, reaction_on, edited_ts) and LocalStore applies it to its target's row.
-- mentions: JSON array of user ids (NULL = none); ref_seq: a change event's target seq;
-- reaction_on: a reaction event's on (1) or off (0); reactions: the wire's current state
-- [{"emoji","users"}] (NULL = none); hidden: deleted for me (content, media, reactions gone).
ALTER TABLE messages ADD COLUMN reply_to INTEGER;
ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mentions TEXT;
ALTER TABLE messages ADD COLUMN ref_seq INTEGER;
ALTER TABLE messages ADD COLUMN reaction_on INTEGER;
ALTER TABLE messages ADD COLUMN edited_ts INTEGER;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN reactions TEXT;
ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
-- Queued sends keep the same fields until they are acked.
ALTER TABLE outbox ADD COLUMN ref_seq INTEGER;
ALTER TABLE outbox ADD COLUMN reaction_on INTEGER;
ALTER TABLE outbox ADD COLUMN reply_to INTEGER;
ALTER TABLE outbox ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN mentions TEXT;
-- Unread messages that mention us (the chat list's "@" badge).
ALTER TABLE conversations ADD COLUMN unread_mentions INTEGER NOT NULL DEFAULT 0;
