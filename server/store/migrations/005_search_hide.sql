-- Schema version 5 (issue 19): server-side search and "delete for me".
-- What the full-text index holds of a message: its text or caption and its file's name. Only
-- kinds text/image/file are searchable (system messages and change events are not). The view
-- is the index's external content, so snippet() reads the current row and 'rebuild' indexes
-- exactly what the triggers below index. The triggers run on UPDATE too: an edit or a deletion
-- that rewrites content/media keeps the index right with no code on the send path.
-- messages has no INTEGER PRIMARY KEY: a VACUUM may renumber its rowids, so run
-- INSERT INTO messages_fts(messages_fts) VALUES('rebuild') after one.
CREATE VIEW messages_fts_source AS
    SELECT rowid AS message_rowid, content,
           COALESCE(CASE WHEN json_valid(media) THEN json_extract(media, '$.name') END, '')
               AS file_name
    FROM messages WHERE kind IN ('text', 'image', 'file');
CREATE VIRTUAL TABLE messages_fts USING fts5(
    content, file_name, content = 'messages_fts_source', content_rowid = 'message_rowid',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
WHEN new.kind IN ('text', 'image', 'file') BEGIN
    INSERT INTO messages_fts (rowid, content, file_name) VALUES (new.rowid, new.content,
        COALESCE(CASE WHEN json_valid(new.media) THEN json_extract(new.media, '$.name') END, ''));
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.kind IN ('text', 'image', 'file') BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, file_name) VALUES ('delete',
        old.rowid, old.content,
        COALESCE(CASE WHEN json_valid(old.media) THEN json_extract(old.media, '$.name') END, ''));
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF kind, content, media ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, file_name) SELECT 'delete',
        old.rowid, old.content,
        COALESCE(CASE WHEN json_valid(old.media) THEN json_extract(old.media, '$.name') END, '')
    WHERE old.kind IN ('text', 'image', 'file');
    INSERT INTO messages_fts (rowid, content, file_name) SELECT new.rowid, new.content,
        COALESCE(CASE WHEN json_valid(new.media) THEN json_extract(new.media, '$.name') END, '')
    WHERE new.kind IN ('text', 'image', 'file');
END;
-- FTS5 in SQLite 3.40 removes a row from the index by writing a delete marker: the deleted text's
-- terms stay in older index segments until they are merged. A deletion for everyone therefore
-- marks the index for a purge (SqlStore::purgeSearchIndexStep merges every segment, step by
-- step, which drops the terms; secure_delete overwrites the freed pages). The mark is in the
-- deleting transaction, so a crash cannot forget it.
CREATE TABLE search_purge (id INTEGER PRIMARY KEY CHECK (id = 1), pending INTEGER NOT NULL);
INSERT INTO search_purge (id, pending) VALUES (1, 0);
CREATE TRIGGER messages_deleted_purge AFTER UPDATE OF deleted ON messages
WHEN new.deleted = 1 AND old.deleted = 0 BEGIN
    UPDATE search_purge SET pending = 1 WHERE id = 1;
END;
-- Messages already stored before this version.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- "Delete for me": per user. `pos` orders the user's hides (one value per hide request), so
-- each device replays in `sync` the ones after its devices.hidden_pos.
CREATE TABLE hidden_messages (
    user_id TEXT NOT NULL REFERENCES users(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    hidden_ms BIGINT NOT NULL,
    pos BIGINT NOT NULL,
    PRIMARY KEY (user_id, conversation_id, seq)
);
CREATE INDEX hidden_messages_pos ON hidden_messages(user_id, pos);
ALTER TABLE devices ADD COLUMN hidden_pos BIGINT NOT NULL DEFAULT 0;
