-- 001-initial: the content tables (what was ingested) and their indexes.
--
-- Content tables hold what the logs said and must be migrated with care; derived tables (tags,
-- incidents, anything recomputed from content) live in later steps and may be dropped and rebuilt.
-- All times are UTC microseconds since the epoch (INTEGER), as the emitting node's clock said them:
-- no skew correction is ever written into content.

-- Key/value facts about this database (pattern-library hash, last scan time, ...).
CREATE TABLE meta (
        key   TEXT PRIMARY KEY,       -- e.g. 'patterns_hash'
        value TEXT                    -- free-form, owned by the stage that wrote the key
) WITHOUT ROWID;

-- One row per cluster node, by the name the logs use (_HOSTNAME, syslog host field or --node).
CREATE TABLE node (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,      -- as logged, case kept
        corosync_id INTEGER                  -- corosync nodeid when known (corosync.conf or inference)
);

-- One row per boot of a node. Journal boots have the kernel's 128-bit boot id; boots of text-only
-- sources are inferred from 'kernel: Linux version' / journalctl '-- Reboot --' markers and get a
-- synthetic id starting with '~' so they can never collide with a real one.
CREATE TABLE boot (
        id        INTEGER PRIMARY KEY,
        node_id   INTEGER NOT NULL REFERENCES node(id),
        boot_id   TEXT NOT NULL,             -- 32 lowercase hex digits, or '~' + 16 hex when inferred
        start_ts  INTEGER,                   -- realtime of monotonic zero (journal ts - mono): when the kernel started
        first_ts  INTEGER,                   -- earliest event seen in this boot (µs UTC)
        last_ts   INTEGER,                   -- latest event seen in this boot (µs UTC)
        inferred  INTEGER NOT NULL DEFAULT 0,-- 1 when the boot was inferred from text
        UNIQUE (node_id, boot_id)
);

-- One row per ingest source: a text/export/json file, or one journal file chain (system.journal
-- and its archived system@*.journal files, or remote-HOST*.journal). Each keeps its own resume
-- point: a merged cursor over several chains would skip a late-arriving node whose entries are older.
CREATE TABLE source (
        id        INTEGER PRIMARY KEY,
        key       TEXT NOT NULL UNIQUE,      -- 'file:<abs path>', 'journal:<dir>/<chain>', 'stdin:<format>'
        path      TEXT NOT NULL,             -- what a report cites: the file, or the chain's directory
        format    TEXT NOT NULL,             -- journal | export | json | text
        node_id   INTEGER REFERENCES node(id), -- fixed node (--node) or NULL when every event names its own
        dev       INTEGER,                   -- st_dev of the file at the last ingest (text/export/json)
        inode     INTEGER,                   -- st_ino: a new inode at the same path means the file was rotated
        size      INTEGER,                   -- st_size at the last ingest
        mtime     INTEGER,                   -- st_mtime (µs) at the last ingest
        offset    INTEGER NOT NULL DEFAULT 0,-- bytes of the (decompressed) stream already ingested
        line      INTEGER NOT NULL DEFAULT 0,-- lines (or export entries) already ingested
        cursor    TEXT,                      -- journal cursor of the last ingested entry of this chain
        state     TEXT,                      -- parser state to resume with (text: year and current boot)
        ingested_at INTEGER                  -- wall-clock time of the last ingest (µs UTC)
);

-- One row per log event. 'dedup' makes ingest idempotent and merges the same event arriving
-- through two sources (journal and /var/log/syslog): it hashes node, second, identifier, pid,
-- trimmed message and the occurrence number of that tuple within the second in its source.
CREATE TABLE event (
        id         INTEGER PRIMARY KEY,
        node_id    INTEGER NOT NULL REFERENCES node(id),
        ts         INTEGER NOT NULL,         -- µs UTC by the node's clock
        ts_prec    INTEGER NOT NULL,         -- precision of ts in µs: 1 journal, 1000 ms stamps, 1000000 s stamps
        mono       INTEGER,                  -- monotonic µs since boot (journal), NULL when unknown
        boot       INTEGER REFERENCES boot(id),
        identifier TEXT,                     -- SYSLOG_IDENTIFIER, else _COMM; 'kernel' for kernel lines
        pid        INTEGER,                  -- SYSLOG_PID, else _PID; NULL when the line has none
        priority   INTEGER,                  -- syslog priority 0..7; NULL when the source does not say
        unit       TEXT,                     -- _SYSTEMD_UNIT (journal only)
        message    TEXT,                     -- MESSAGE; BLOB when it was not valid UTF-8 or held NUL bytes
        source_id  INTEGER NOT NULL REFERENCES source(id),
        line       INTEGER,                  -- line (text) or entry number (export/json) in the source
        cursor     TEXT,                     -- journal cursor (journal and export sources)
        dedup      INTEGER NOT NULL          -- 64-bit identity hash, see above
);
-- The second leads the key: events arrive in time order, so index inserts append instead of
-- landing at random places in a random hash order (4x faster ingest). The second is part of the
-- identity anyway, and a finer copy of an event keeps its second.
CREATE UNIQUE INDEX event_dedup ON event (ts / 1000000, dedup);
-- Time ranges, of all nodes or of one: the node id rides in the index so a per-node range is
-- filtered without touching the table (clusters have few nodes; a separate (node_id, ts) index
-- cost every insert more than it saved).
CREATE INDEX event_ts ON event (ts, node_id);

-- Text lines no parser understood: kept verbatim so nothing is lost, reported with file:line.
CREATE TABLE rejected_line (
        source_id  INTEGER NOT NULL REFERENCES source(id),
        line       INTEGER NOT NULL,         -- 1-based line number in the source
        reason     TEXT NOT NULL,            -- why the parser refused it
        raw        BLOB NOT NULL,            -- the line as read, without its newline
        PRIMARY KEY (source_id, line)
) WITHOUT ROWID;
