-- 003-corosync-conf: what an ingested corosync.conf says (content: it is the configuration the
-- logs ran under). A newer ingest of a corosync.conf replaces these rows.

-- nodelist { node { ... } }: who is expected in the cluster, by corosync node id.
CREATE TABLE corosync_node (
        nodeid     INTEGER PRIMARY KEY,      -- node { nodeid: N }
        name       TEXT NOT NULL,            -- node { name: ... }, matched to node.name
        ring0_addr TEXT,                     -- first link address
        ring1_addr TEXT,                     -- second link address, NULL without one
        votes      INTEGER NOT NULL DEFAULT 1, -- quorum_votes
        source_id  INTEGER REFERENCES source(id)
);

-- Every other key, flattened with dots: 'totem.token', 'totem.cluster_name', 'quorum.provider',
-- 'quorum.device.model'...
CREATE TABLE corosync_setting (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        source_id  INTEGER REFERENCES source(id)
) WITHOUT ROWID;
