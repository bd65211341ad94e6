-- Other users' names (and our own), learned from `users` answers and search results, so the
-- app shows names instead of ids at once, offline included.
CREATE TABLE users (
    user_id      TEXT PRIMARY KEY,
    user         TEXT NOT NULL,
    display_name TEXT NOT NULL
) WITHOUT ROWID;
