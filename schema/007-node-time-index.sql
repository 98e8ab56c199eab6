-- 007-node-time-index: the time index leads with the node.
--
-- Every node's log covers the same hours as the others'. With the time first, the events of each
-- node ingested after the first land between those already stored, all over the index; with the
-- node first they are appended to the node's own stretch (2M events of 48 nodes: 6.7 s of ingest
-- with the time first, 3.8 s with the node first, as fast as 3 nodes). Time ranges over all nodes
-- read it one node at a time: 'node_id IN (SELECT id FROM node) AND ts >= ? AND ts < ?'.
DROP INDEX event_ts;
CREATE INDEX event_node_ts ON event (node_id, ts);
