-- Schema version 4 (issue 19): replies, forwards, mentions, and the change events (edit, delete,
-- reaction) that name their target by ref_seq. A target row holds its current state: edited_ms
-- after an edit, deleted = 1 (content '', media NULL) after a delete. mentions: a JSON array.
ALTER TABLE messages ADD COLUMN reply_to BIGINT;
ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mentions TEXT;
ALTER TABLE messages ADD COLUMN edited_ms BIGINT;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN ref_seq BIGINT;
ALTER TABLE messages ADD COLUMN reaction_on INTEGER;
-- The edit events of a target (their content is forgotten when the target is deleted).
CREATE INDEX messages_ref ON messages(conversation_id, ref_seq) WHERE ref_seq IS NOT NULL;
-- Which messages still show a media object (NULL once deleted): a delete frees media nothing
-- else references. A column, not an index on json_extract(media): a row whose media column is
-- not valid JSON (written by hand, or by an older build) must not make writes fail.
ALTER TABLE messages ADD COLUMN media_id TEXT;
UPDATE messages SET media_id = json_extract(media, '$.media_id') WHERE media IS NOT NULL AND json_valid(media);
CREATE INDEX messages_media ON messages(media_id) WHERE media_id IS NOT NULL;
-- Current reactions: one row per (message, user, emoji); pos = the seq of the event that added
-- it, so emoji and users keep first-reaction order.
CREATE TABLE reactions (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    emoji TEXT NOT NULL,
    pos BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq, user_id, emoji)
);
