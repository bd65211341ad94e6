-- The app's local cache of one account. `to`/`from` are SQL keywords, hence recipient/sender.
CREATE TABLE conversations (
    conversation  TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    members       TEXT NOT NULL,             -- JSON array of {user_id, role}
    last_seq      INTEGER NOT NULL DEFAULT 0,
    last_message  TEXT,                      -- JSON of the message event, NULL when none
    unread        INTEGER NOT NULL DEFAULT 0,
    read_seq      INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER NOT NULL DEFAULT 0 -- server_ts of the last message, ms
);
CREATE INDEX conversations_activity ON conversations (last_activity DESC);

-- (conversation, seq) is the server's identity of a message: duplicates are dropped.
CREATE TABLE messages (
    conversation TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    id           TEXT NOT NULL,
    sender       TEXT NOT NULL,
    from_device  TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    kind         TEXT NOT NULL,
    content      TEXT NOT NULL,
    media        TEXT,                       -- JSON object, NULL when none
    ts           INTEGER NOT NULL,
    server_ts    INTEGER NOT NULL,
    PRIMARY KEY (conversation, seq)
) WITHOUT ROWID;
CREATE INDEX messages_id ON messages (id);

-- Messages written before they are sent; removed only together with storing the ack.
CREATE TABLE outbox (
    id        TEXT PRIMARY KEY,              -- the client-chosen message id, reused on retry
    recipient TEXT NOT NULL,
    kind      TEXT NOT NULL,
    content   TEXT NOT NULL,
    media     TEXT,
    ts        INTEGER NOT NULL,
    created   INTEGER NOT NULL,              -- creation order (sends keep it)
    attempts  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_created ON outbox (created);

CREATE TABLE drafts (
    conversation TEXT PRIMARY KEY,
    text         TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per conversation: the highest seq up to which this device holds every message since it
-- started receiving the conversation (the `delivery` watermark it reports).
CREATE TABLE delivery (
    conversation TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL
);
