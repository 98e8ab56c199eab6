-- 012-host-claim: entries that claim to be another node's.
--
-- A source read under a fixed node (each node's stream in `collect`, `ingest --node`) stores every
-- entry under that node, whatever its _HOSTNAME or host field says: cloned VMs share host names,
-- and a node can write any field into its own journal, so no node can write into another's
-- timeline. An entry whose host name is another node of the cluster (a stored node, a node of the
-- stored corosync.conf, or one `collect` was configured with) is kept, under the fixed node, and
-- listed here. A host name that is the fixed node's own, long or short, is no claim.
CREATE TABLE event_host_claim (
        event_id   INTEGER PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE,
        claimed    TEXT NOT NULL             -- the host name the entry gave (_HOSTNAME, the host field)
);

-- One row per such entry: where it was stored (node, source) and whose it claimed to be.
CREATE VIEW host_claims AS
SELECT printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', e.ts / 1000000, 'unixepoch'), e.ts % 1000000) AS ts,
       n.name AS node,
       c.claimed,
       e.identifier,
       e.message,
       s.path AS source,
       e.id AS event_id
FROM event_host_claim c
JOIN event e ON e.id = c.event_id
JOIN node n ON n.id = e.node_id
JOIN source s ON s.id = e.source_id;
