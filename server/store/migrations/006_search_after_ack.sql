-- Schema version 6 (issue 19): the search index is written after the ack, not in the send's
-- transaction. Indexing each message inside the group commit that acks it doubled the send
-- latency at 10,000 messages/s (docs/benchmarks.md, "What the server's search index costs a
-- send"). Now SqlStore::indexSearchStep indexes committed messages in batches (larger batches
-- also make fewer index segments and merges), and a search runs one catch-up first.
-- The watermark: every row with rowid <= upto is in the index (when its kind is searchable);
-- rows above it are indexed later as they are then, so the triggers below skip them.
DROP TRIGGER messages_fts_insert;
CREATE TABLE search_indexed (id INTEGER PRIMARY KEY CHECK (id = 1), upto INTEGER NOT NULL);
INSERT INTO search_indexed (id, upto) SELECT 1, COALESCE(MAX(rowid), 0) FROM messages;
DROP TRIGGER messages_fts_update;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF kind, content, media ON messages
WHEN old.rowid <= (SELECT upto FROM search_indexed WHERE id = 1) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, file_name) SELECT 'delete',
        old.rowid, old.content,
        COALESCE(CASE WHEN json_valid(old.media) THEN json_extract(old.media, '$.name') END, '')
    WHERE old.kind IN ('text', 'image', 'file');
    INSERT INTO messages_fts (rowid, content, file_name) SELECT new.rowid, new.content,
        COALESCE(CASE WHEN json_valid(new.media) THEN json_extract(new.media, '$.name') END, '')
    WHERE new.kind IN ('text', 'image', 'file');
END;
-- One trigger, so its statements run in this order: the index entry of an indexed row goes,
-- then the watermark comes down to the highest remaining rowid. SQLite gives a new row the
-- highest rowid + 1, so after the highest row is deleted a new row could get a rowid at or below
-- the watermark and never be indexed.
DROP TRIGGER messages_fts_delete;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content, file_name) SELECT 'delete',
        old.rowid, old.content,
        COALESCE(CASE WHEN json_valid(old.media) THEN json_extract(old.media, '$.name') END, '')
    WHERE old.kind IN ('text', 'image', 'file')
        AND old.rowid <= (SELECT upto FROM search_indexed WHERE id = 1);
    UPDATE search_indexed SET upto = (SELECT COALESCE(MAX(rowid), 0) FROM messages)
    WHERE id = 1 AND upto > (SELECT COALESCE(MAX(rowid), 0) FROM messages);
END;
