-- scan-store-v9.sql: a database as `cascade scan` left it at schema 9 (before schema/010-library.sql
-- and 011-incident-history.sql), made by the binary of commit 722bd54 in directory @DIR@:
--   scan --config /nonexistent --reports-dir @DIR@/reports --exec @DIR@/hook.sh @DIR@/journal
-- on the bundled example's journals (reported the reboot cascade and ran the hook once), then the
-- same without the journals (a quiet night: the analysis tables of schema 5 hold nothing of the
-- incident any more, only scan_reported remembers it). Dumped with sqlite3's .dump and the two
-- header PRAGMAs; only the rows of meta's last_scan*, scan_reported and analysis_* are kept: events,
-- tags and sources are derived again by ingesting the same journals. tests/e2e-scan.sh restores it
-- (with @DIR@ replaced) to check that a migrated store reports nothing twice.
PRAGMA user_version = 9;
PRAGMA application_id = 1667330915;
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (
        key   TEXT PRIMARY KEY,       -- e.g. 'patterns_hash'
        value TEXT                    -- free-form, owned by the stage that wrote the key
) WITHOUT ROWID;
INSERT INTO meta VALUES('last_scan','1796678516215800');
INSERT INTO meta VALUES('last_scan_event','2251');
CREATE TABLE node (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,      -- as logged, case kept
        corosync_id INTEGER                  -- corosync nodeid when known (corosync.conf or inference)
, first_ts INTEGER, last_ts INTEGER);
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
CREATE TABLE rejected_line (
        source_id  INTEGER NOT NULL REFERENCES source(id),
        line       INTEGER NOT NULL,         -- 1-based line number in the source
        reason     TEXT NOT NULL,            -- why the parser refused it
        raw        BLOB NOT NULL,            -- the line as read, without its newline
        PRIMARY KEY (source_id, line)
) WITHOUT ROWID;
CREATE TABLE tag (
        event_id   INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        rule       TEXT NOT NULL,            -- pattern rule id, e.g. 'corosync.quorum.lost'
        kind       TEXT NOT NULL,            -- event kind, e.g. 'corosync.quorum.lost', 'ha.service.state'
        severity   TEXT NOT NULL,            -- debug | info | notice | warning | error | critical
        captures   TEXT NOT NULL,            -- JSON object of the rule's named captures that matched
        PRIMARY KEY (event_id, rule)
) WITHOUT ROWID;
CREATE TABLE corosync_node (
        nodeid     INTEGER PRIMARY KEY,      -- node { nodeid: N }
        name       TEXT NOT NULL,            -- node { name: ... }, matched to node.name
        ring0_addr TEXT,                     -- first link address
        ring1_addr TEXT,                     -- second link address, NULL without one
        votes      INTEGER NOT NULL DEFAULT 1, -- quorum_votes
        source_id  INTEGER REFERENCES source(id)
);
CREATE TABLE corosync_setting (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        source_id  INTEGER REFERENCES source(id)
) WITHOUT ROWID;
CREATE TABLE analysis_incident (
        id               INTEGER PRIMARY KEY,  -- 1-based, in start order (Incident.id of that analysis)
        start            INTEGER NOT NULL,     -- µs UTC, corrected: when the cluster became degraded
        end              INTEGER NOT NULL,     -- µs UTC, corrected: when it was stable again
        classification   TEXT NOT NULL,        -- reboot-cascade | node-reboot | planned-maintenance | ...
        severity         TEXT NOT NULL,        -- critical | major | minor
        root_kind        TEXT,                 -- root cause hypothesis kind (manual-reboot, node-crash...); NULL without one
        root_node        TEXT,                 -- node the root cause is about; NULL when not one node
        root_at          INTEGER,              -- µs UTC, corrected: when the root cause happened
        root_summary     TEXT,                 -- plain text; contains log text: escape before rendering
        root_confidence  REAL,                 -- 0..1
        nodes_expected   INTEGER NOT NULL,     -- cluster size (corosync.conf, else the largest membership)
        min_members      INTEGER NOT NULL,     -- fewest members during the incident
        degraded_seconds REAL NOT NULL,        -- seconds with fewer members than expected
        quorum_lost      INTEGER NOT NULL,     -- 1 when some node lost quorum
        report_json      TEXT NOT NULL,        -- the incident object exactly as `analyze --format json` writes it
        reported_at      INTEGER,              -- µs UTC wall clock when scan wrote its report (from scan_reported)
        report_path      TEXT                  -- that report's path; NULL when not reported (yet)
);
CREATE TABLE analysis_boot (
        node             TEXT NOT NULL,        -- node name
        boot_id          TEXT NOT NULL,        -- 32 hex digits, or '~' + 16 hex when inferred from text
        start            INTEGER,              -- µs UTC, corrected: first event of the boot in the window
        end              INTEGER,              -- µs UTC, corrected: last event of the boot in the window
        end_at           INTEGER,              -- µs UTC, corrected: the reboot request, last line before a crash...; NULL when unknown
        end_kind         TEXT NOT NULL,        -- running | clean-reboot | clean-poweroff | crash | fenced
        initiator        TEXT,                 -- who asked for a clean end ('root (ssh login from ...)'); NULL when unknown
        PRIMARY KEY (node, boot_id)
) WITHOUT ROWID;
INSERT INTO analysis_boot VALUES('proxmox','77e35710b97d49f3bd6f7dea9e32a0bc',1764058599204007,1764059149955917,NULL,'running',NULL);
INSERT INTO analysis_boot VALUES('proxmox','bead47484c86449e87c5f8d193a0e2b3',1764055800012166,1764058540617273,1764058540617273,'crash',NULL);
INSERT INTO analysis_boot VALUES('proxmox2','05c199ea89e54484a43734694de2e739',1764058261043007,1764059398160409,NULL,'running',NULL);
INSERT INTO analysis_boot VALUES('proxmox2','9b99f6640a744f6689013a850128e872',1764055800012890,1764058251322145,1764058251322145,'crash',NULL);
INSERT INTO analysis_boot VALUES('proxmox3','95dcae3cb6434397b148d8ce8b77750e',1764055800012688,1764059194268172,NULL,'running',NULL);
CREATE TABLE analysis_membership (
        ts               INTEGER PRIMARY KEY,  -- µs UTC, corrected: from this moment on
        count            INTEGER NOT NULL,     -- number of members
        members          TEXT NOT NULL,        -- member node names (corosync id when unnamed), space-separated, by corosync id
        member_ids       TEXT NOT NULL         -- their corosync ids, space-separated, ascending
);
CREATE TABLE scan_reported (
        classification   TEXT NOT NULL,
        root_node        TEXT NOT NULL,        -- '' when the root cause names no node
        start_minute     INTEGER NOT NULL,     -- incident start (µs UTC, corrected) / 60000000
        start            INTEGER NOT NULL,     -- incident start, µs UTC, corrected
        reported_at      INTEGER NOT NULL,     -- µs UTC wall clock of the scan that reported it
        report_path      TEXT NOT NULL,        -- the Markdown report written
        PRIMARY KEY (classification, root_node, start_minute)
) WITHOUT ROWID;
INSERT INTO scan_reported VALUES('reboot-cascade','proxmox2',29400969,1764058192187468,1796678514342088,'@DIR@/reports/incident-20251125T080952Z-reboot-cascade.md');
CREATE VIEW tagged AS
SELECT printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', e.ts / 1000000, 'unixepoch'), e.ts % 1000000) AS ts,
       n.name AS node,
       e.identifier,
       e.message,
       t.rule,
       t.kind,
       t.captures,
       t.severity,
       e.id AS event_id,
       e.ts AS ts_usec
FROM tag t
JOIN event e ON e.id = t.event_id
JOIN node n ON n.id = e.node_id;
CREATE VIEW boots AS
SELECT node,
       boot_id,
       CASE WHEN start IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', start / 1000000, 'unixepoch'), start % 1000000) END AS start,
       CASE WHEN end IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', end / 1000000, 'unixepoch'), end % 1000000) END AS end,
       end_kind,
       initiator,
       CASE WHEN end_at IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', end_at / 1000000, 'unixepoch'), end_at % 1000000) END AS end_at,
       start AS start_usec
FROM analysis_boot;
CREATE VIEW membership AS
SELECT printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', ts / 1000000, 'unixepoch'), ts % 1000000) AS ts,
       count,
       members,
       member_ids,
       ts AS ts_usec
FROM analysis_membership;
CREATE VIEW incidents AS
SELECT id,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', start / 1000000, 'unixepoch'), start % 1000000) AS start,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', end / 1000000, 'unixepoch'), end % 1000000) AS end,
       classification,
       severity,
       root_node,
       root_summary AS summary,
       report_path,
       root_kind,
       root_confidence,
       nodes_expected,
       min_members,
       degraded_seconds,
       quorum_lost,
       report_json
FROM analysis_incident;
CREATE INDEX event_node_ts ON event (node_id, ts);
CREATE VIEW event_cursor AS
SELECT e.id AS event_id,
       CASE WHEN instr(e.cursor, ';b=') = 0 AND instr(e.cursor, ';x=') > 0 AND b.boot_id IS NOT NULL
                 AND e.mono IS NOT NULL
            THEN replace(e.cursor, ';x=', printf(';b=%s;m=%x;t=%x;x=', b.boot_id, e.mono, e.ts))
            ELSE e.cursor END AS cursor
FROM event e
LEFT JOIN boot b ON b.id = e.boot;
CREATE VIEW timeline AS
SELECT printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', e.ts / 1000000, 'unixepoch'), e.ts % 1000000) AS ts,
       n.name AS node,
       e.identifier,
       e.pid,
       e.priority,
       e.unit,
       b.boot_id,
       e.message,
       CASE WHEN e.line IS NOT NULL THEN s.path || ':' || e.line
            WHEN e.cursor IS NOT NULL THEN s.path || ' (cursor ' ||
                 (SELECT c.cursor FROM event_cursor c WHERE c.event_id = e.id) || ')'
            ELSE s.path END AS source,
       e.id AS event_id,
       e.ts AS ts_usec
FROM event e
JOIN node n ON n.id = e.node_id
JOIN source s ON s.id = e.source_id
LEFT JOIN boot b ON b.id = e.boot;
COMMIT;
