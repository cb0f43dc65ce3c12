-- Issue 3: full-text index (FTS5 over the folded name and text) and the search vocabulary
-- used to forgive typos.

CREATE VIRTUAL TABLE services_fts USING fts5(
    sort_name, search_text, content='services', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
INSERT INTO services_fts (rowid, sort_name, search_text)
    SELECT rowid, sort_name, search_text FROM services;

CREATE TRIGGER services_fts_insert AFTER INSERT ON services BEGIN
    INSERT INTO services_fts (rowid, sort_name, search_text)
        VALUES (new.rowid, new.sort_name, new.search_text);
END;
CREATE TRIGGER services_fts_delete AFTER DELETE ON services BEGIN
    INSERT INTO services_fts (services_fts, rowid, sort_name, search_text)
        VALUES ('delete', old.rowid, old.sort_name, old.search_text);
END;
CREATE TRIGGER services_fts_update AFTER UPDATE OF sort_name, search_text ON services BEGIN
    INSERT INTO services_fts (services_fts, rowid, sort_name, search_text)
        VALUES ('delete', old.rowid, old.sort_name, old.search_text);
    INSERT INTO services_fts (rowid, sort_name, search_text)
        VALUES (new.rowid, new.sort_name, new.search_text);
END;

CREATE TABLE search_terms (
    term TEXT PRIMARY KEY,
    length INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX search_terms_length ON search_terms (length);
