-- Schema version 2: media objects (the bytes live in files named by id) and where they were sent.
CREATE TABLE media (
    id TEXT PRIMARY KEY,
    uploader TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE INDEX media_uploader ON media(uploader);
CREATE INDEX media_incomplete ON media(complete, created_ms);
-- The first message (lowest seq) in each conversation that referenced a media object: members
-- who joined by then may download it.
CREATE TABLE media_refs (
    media_id TEXT NOT NULL REFERENCES media(id),
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    PRIMARY KEY (media_id, conversation_id)
);
