-- Issue 15: API tokens that expire, can be listed and revoked one by one, and record their
-- last use; one lock row per account and per address for the sign-in throttle.

-- SQLite cannot add a primary key to a table: rebuild api_tokens with a public id.
CREATE TABLE api_tokens_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- shown and revoked by; never the hash
    token_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the token, hex
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prefix TEXT NOT NULL DEFAULT '',      -- the token's first characters, to recognise it
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT
);
-- Tokens made before this release had no end: they get the default lifetime from today.
INSERT INTO api_tokens_new (token_hash, user_id, created_at, expires_at)
    SELECT token_hash, user_id, created_at,
           strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', '+90 days')
    FROM api_tokens ORDER BY created_at;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Concurrent sign-in attempts of one account (or one address) queue on its row
-- (backoffice/throttle.py): the count of failures and the new attempt are one step.
CREATE TABLE login_locks (
    key TEXT PRIMARY KEY,                 -- "account:<e-mail>" or "address:<ip>"
    at TEXT NOT NULL
);
CREATE INDEX login_locks_at ON login_locks (at);
