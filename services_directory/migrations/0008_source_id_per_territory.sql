-- Issue 15: a source id is unique within a territory, not across the directory. An import
-- matches rows only among the entries of the row's territory, so another territory's entry
-- with the same source id is neither found nor in the way (no cross-territory takeover, no
-- existence oracle).

DROP INDEX services_source_id;
CREATE UNIQUE INDEX services_territory_source_id ON services (territory, source_id)
    WHERE source_id IS NOT NULL;
