-- Full-text search over the cached messages (issue 19): text, image and file messages, their
-- text or caption plus the file name. `messages` has no rowid, so `search_rows` gives each
-- indexed message one (the FTS rowid); triggers keep both right when messages are inserted,
-- changed (edits, deletions: the next session's change kinds rewrite the row) or removed.
-- Triggers: each body statement ends its line, END stands on a line of its own (Migrations).
CREATE TABLE search_rows (
    id           INTEGER PRIMARY KEY,
    conversation TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    UNIQUE (conversation, seq)
);
-- remove_diacritics 2: "cafe" finds "café". Prefix indexes for the 2- and 3-letter starts of
-- words the query builder asks for as prefixes (a 1-letter word is asked exactly).
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
WHEN new.kind IN ('text', 'image', 'file')
BEGIN
    INSERT INTO search_rows (conversation, seq) VALUES (new.conversation, new.seq);
    INSERT INTO messages_fts (rowid, body) VALUES (
        (SELECT id FROM search_rows WHERE conversation = new.conversation AND seq = new.seq),
        new.content || CASE WHEN json_valid(new.media)
            THEN ' ' || COALESCE(json_extract(new.media, '$.name'), '') ELSE '' END);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
BEGIN
    DELETE FROM messages_fts WHERE rowid =
        (SELECT id FROM search_rows WHERE conversation = old.conversation AND seq = old.seq);
    DELETE FROM search_rows WHERE conversation = old.conversation AND seq = old.seq;
END;
-- A changed message is indexed again as it is now (an emptied, deleted message is not).
CREATE TRIGGER messages_search_update AFTER UPDATE OF kind, content, media ON messages
BEGIN
    DELETE FROM messages_fts WHERE rowid =
        (SELECT id FROM search_rows WHERE conversation = old.conversation AND seq = old.seq);
    DELETE FROM search_rows WHERE conversation = old.conversation AND seq = old.seq;
    INSERT INTO search_rows (conversation, seq) SELECT new.conversation, new.seq
        WHERE new.kind IN ('text', 'image', 'file') AND (new.content <> '' OR new.media IS NOT NULL);
    INSERT INTO messages_fts (rowid, body) SELECT id,
        new.content || CASE WHEN json_valid(new.media)
            THEN ' ' || COALESCE(json_extract(new.media, '$.name'), '') ELSE '' END
        FROM search_rows WHERE conversation = new.conversation AND seq = new.seq;
END;
-- What the cache already holds, oldest first.
INSERT INTO search_rows (conversation, seq)
    SELECT conversation, seq FROM messages WHERE kind IN ('text', 'image', 'file')
    ORDER BY server_ts, conversation, seq;
INSERT INTO messages_fts (rowid, body)
    SELECT r.id, m.content || CASE WHEN json_valid(m.media)
            THEN ' ' || COALESCE(json_extract(m.media, '$.name'), '') ELSE '' END
    FROM search_rows r JOIN messages m ON m.conversation = r.conversation AND m.seq = r.seq;
