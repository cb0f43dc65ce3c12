-- The assistant's typical query (topic + territory + near, a few results) reads only this
-- index: no table lookup per candidate entry while ordering by distance.
DROP INDEX services_territory_topic;
CREATE INDEX services_territory_topic
    ON services (territory, topic, status, expires_on, lat, lon, sort_name, id);
