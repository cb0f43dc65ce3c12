-- The assistant's typical query (topic + territory + near) reads only this index.
DROP INDEX services_territory_topic;
CREATE INDEX services_territory_topic
    ON services (territory, topic, status) INCLUDE (expires_on, lat, lon, sort_name, id);
