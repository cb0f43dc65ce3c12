-- Issue 3: organisations, richer entries, change log, widget settings.

ALTER TABLE territories ADD COLUMN widget_greeting TEXT;
ALTER TABLE territories ADD COLUMN widget_color TEXT;   -- '#rrggbb'

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,                 -- UUID
    territory TEXT NOT NULL REFERENCES territories (slug),
    name TEXT NOT NULL,
    siret TEXT,
    website TEXT,
    phone TEXT,
    email TEXT,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organisations_territory ON organisations (territory);

ALTER TABLE services ADD COLUMN organisation TEXT REFERENCES organisations (id);
ALTER TABLE services ADD COLUMN opening_hours TEXT;         -- OpenStreetMap opening_hours syntax
ALTER TABLE services ADD COLUMN fees TEXT;                  -- gratuit, payant, ...
ALTER TABLE services ADD COLUMN fees_details TEXT;
ALTER TABLE services ADD COLUMN audience TEXT NOT NULL DEFAULT '[]';          -- JSON list
ALTER TABLE services ADD COLUMN eligibility_zone TEXT NOT NULL DEFAULT '[]';  -- JSON list of codes
ALTER TABLE services ADD COLUMN zone_codes TEXT NOT NULL DEFAULT '';  -- ' 15 15138 ' for filtering
ALTER TABLE services ADD COLUMN source TEXT;                -- attribution of imported entries
ALTER TABLE services ADD COLUMN source_id TEXT;             -- stable id in its source: no duplicates
ALTER TABLE services ADD COLUMN to_verify INTEGER NOT NULL DEFAULT 0;
ALTER TABLE services ADD COLUMN contract_type TEXT;         -- job offers
ALTER TABLE services ADD COLUMN sector TEXT;
ALTER TABLE services ADD COLUMN expires_on TEXT;            -- ISO date; expired offers leave search
ALTER TABLE services ADD COLUMN created_by TEXT;            -- e-mail, or 'import:<name>' / 'seed'
ALTER TABLE services ADD COLUMN updated_by TEXT;
CREATE UNIQUE INDEX services_source_id ON services (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX services_territory_topic ON services (territory, topic, status);

-- One row per changed field of an entry, on every write (HSDS metadata).
CREATE TABLE service_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX service_changes_service ON service_changes (service_id, id);
