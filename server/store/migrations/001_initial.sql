-- Schema version 1: accounts, devices, conversations, members, messages, sync positions.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    last_seen_ms BIGINT
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX devices_user ON devices(user_id);
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    direct_key TEXT UNIQUE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    last_activity_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE members (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    joined_seq BIGINT NOT NULL,
    joined_ms BIGINT NOT NULL,
    left_seq BIGINT,
    delivered_seq BIGINT NOT NULL DEFAULT 0,
    read_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX members_user ON members(user_id);
CREATE TABLE messages (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    from_user TEXT NOT NULL,
    from_device TEXT NOT NULL,
    to_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    content TEXT NOT NULL,
    media TEXT,
    ts BIGINT NOT NULL,
    server_ts BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
-- Serves idempotent re-sends (both columns) and per-id receipts (client_id alone).
CREATE UNIQUE INDEX messages_client_id ON messages(client_id, from_device);
CREATE TABLE device_positions (
    device_id TEXT NOT NULL REFERENCES devices(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    PRIMARY KEY (device_id, conversation_id)
);
