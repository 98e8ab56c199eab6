-- 008-tag-kind-index: the tag table loses its (kind, event_id) index.
--
-- Reports, the correlator and the timeline reach tags through their events (a time range of
-- event_node_ts, then tag's primary key); only ad-hoc queries of the 'tagged' view by kind used
-- it. Its inserts land in one place per kind, so each ingest transaction rewrote a page for every
-- kind it tagged: without it syslog ingest is about a tenth faster (bench/RESULTS.md), and a
-- query by kind reads the tag table (about one row per ten events) instead.
DROP INDEX IF EXISTS tag_kind;
