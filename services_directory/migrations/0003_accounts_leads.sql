-- Issue 3: accounts, API tokens (hashes only) and call-back requests (leads).

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('gip', 'agent')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE user_territories (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    territory TEXT NOT NULL REFERENCES territories (slug) ON DELETE CASCADE,
    PRIMARY KEY (user_id, territory)
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,         -- SHA-256 of the token, hex
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);

CREATE TABLE leads (
    id TEXT PRIMARY KEY,                 -- UUID
    territory TEXT NOT NULL REFERENCES territories (slug),
    name TEXT NOT NULL DEFAULT '',
    email TEXT,
    phone TEXT,
    question TEXT NOT NULL DEFAULT '',
    consent_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'closed')),
    created_at TEXT NOT NULL
);
CREATE INDEX leads_territory ON leads (territory, created_at);
