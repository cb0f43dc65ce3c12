-- Territories, their communes, and directory entries (services).

CREATE TABLE territories (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    department TEXT NOT NULL,            -- département code, e.g. '15'
    contact_name TEXT NOT NULL,          -- the welcome contact
    contact_email TEXT NOT NULL,
    contact_phone TEXT NOT NULL
);

CREATE TABLE communes (
    insee TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    postcode TEXT NOT NULL,
    lat REAL,
    lon REAL
);

CREATE TABLE territory_communes (
    territory TEXT NOT NULL REFERENCES territories (slug) ON DELETE CASCADE,
    insee TEXT NOT NULL REFERENCES communes (insee),
    PRIMARY KEY (territory, insee)
);
CREATE INDEX territory_communes_insee ON territory_communes (insee);

CREATE TABLE services (
    id TEXT PRIMARY KEY,                 -- UUID
    territory TEXT NOT NULL REFERENCES territories (slug),
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    commune TEXT NOT NULL REFERENCES communes (insee),
    address TEXT,
    lat REAL,
    lon REAL,
    phone TEXT,
    email TEXT,
    website TEXT,
    verified_on TEXT,                    -- ISO date: when a person last checked the entry
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    created_at TEXT NOT NULL,            -- ISO timestamps, UTC
    updated_at TEXT NOT NULL,
    search_text TEXT NOT NULL DEFAULT '', -- folded name, kind label and description, for `q`
    sort_name TEXT NOT NULL DEFAULT ''    -- folded name, for ordering
);
CREATE INDEX services_filters ON services (status, territory, topic, kind);
CREATE INDEX services_commune ON services (commune);
