-- 006-identity: events are told apart without a unique index.
--
-- The unique index on (ts / 1000000, dedup) cost every event insert a second B-tree walk. Ingest
-- now looks identities up itself (store.c): an event outside its node's stored time range is new
-- without any lookup (the common case: logs arrive newer than what is stored); inside it, the
-- node's events of that second are read once through event_ts and kept in memory while the
-- second lasts. 'dedup' keeps its meaning (001-initial).
DROP INDEX event_dedup;

-- The node's stored time range, widened by ingest in the transaction that adds the events.
ALTER TABLE node ADD COLUMN first_ts INTEGER;  -- no stored event of the node is earlier (µs UTC); NULL: none stored
ALTER TABLE node ADD COLUMN last_ts INTEGER;   -- no stored event of the node is later; may be wider than the events
UPDATE node SET first_ts = (SELECT min(ts) FROM event WHERE node_id = node.id),
                last_ts = (SELECT max(ts) FROM event WHERE node_id = node.id);
