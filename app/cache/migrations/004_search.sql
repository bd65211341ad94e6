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
-- remove_diacritics 2: "cafe" finds "café". Prefix indexes for 2- to 6-letter word starts:
-- the query builder asks each word as a prefix (a 1-letter word exactly), and a prefix without
-- its own index merges the lists of every word it starts (a common word's took 0.15-0.9 s over a
-- million messages, its indexed prefix 3 ms).
-- `chat` (the conversation id, matched only by LocalStore's own column filter) lets a search in
-- one chat intersect two indexed lists instead of walking every match of every chat.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    body,
    chat,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
WHEN new.kind IN ('text', 'image', 'file')
BEGIN
    INSERT INTO search_rows (conversation, seq) VALUES (new.conversation, new.seq);
    INSERT INTO messages_fts (rowid, body, chat) VALUES (
        (SELECT id FROM search_rows WHERE conversation = new.conversation AND seq = new.seq),
        new.content || CASE WHEN json_valid(new.media)
            THEN ' ' || COALESCE(json_extract(new.media, '$.name'), '') ELSE '' END,
        new.conversation);
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
    INSERT INTO messages_fts (rowid, body, chat) SELECT id,
        new.content || CASE WHEN json_valid(new.media)
            THEN ' ' || COALESCE(json_extract(new.media, '$.name'), '') ELSE '' END,
        new.conversation
        FROM search_rows WHERE conversation = new.conversation AND seq = new.seq;
END;
-- What the cache already holds, oldest first.
INSERT INTO search_rows (conversation, seq)
    SELECT conversation, seq FROM messages WHERE kind IN ('text', 'image', 'file')
    ORDER BY server_ts, conversation, seq;
INSERT INTO messages_fts (rowid, body, chat)
    SELECT r.id, m.content || CASE WHEN json_valid(m.media)
            THEN ' ' || COALESCE(json_extract(m.media, '$.name'), '') ELSE '' END, m.conversation
    FROM search_rows r JOIN messages m ON m.conversation = r.conversation AND m.seq = r.seq;
