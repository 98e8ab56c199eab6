-- 005-analysis: what the last `cascade scan` found, kept for the views below and for the next scan.
--
-- The analysis_* tables are derived: every scan deletes and rewrites all their rows in one
-- transaction from the window it analysed (correlate_analyze()), so they hold exactly one
-- analysis. Their times are skew-corrected UTC microseconds (the timeline's time, not the
-- emitting node's clock). scan_reported is not derived: it remembers which incidents scan already
-- wrote a report for, across re-analyses. meta 'last_scan' holds the wall-clock time (µs UTC,
-- decimal) at which the last scan finished.

-- One row per incident of the last scan's analysis.
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

-- One row per boot of every node in the last scan's analysis, with how it ended.
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

-- The cluster's membership over time in the last scan's analysis: one row per change.
CREATE TABLE analysis_membership (
        ts               INTEGER PRIMARY KEY,  -- µs UTC, corrected: from this moment on
        count            INTEGER NOT NULL,     -- number of members
        members          TEXT NOT NULL,        -- member node names (corosync id when unnamed), space-separated, by corosync id
        member_ids       TEXT NOT NULL         -- their corosync ids, space-separated, ascending
);

-- Incidents scan has written a report for. The identity survives re-analysis of overlapping
-- windows: classification, root node and the start rounded down to the minute.
CREATE TABLE scan_reported (
        classification   TEXT NOT NULL,
        root_node        TEXT NOT NULL,        -- '' when the root cause names no node
        start_minute     INTEGER NOT NULL,     -- incident start (µs UTC, corrected) / 60000000
        start            INTEGER NOT NULL,     -- incident start, µs UTC, corrected
        reported_at      INTEGER NOT NULL,     -- µs UTC wall clock of the scan that reported it
        report_path      TEXT NOT NULL,        -- the Markdown report written
        PRIMARY KEY (classification, root_node, start_minute)
) WITHOUT ROWID;

-- Views for `cascade query`: times RFC 3339 UTC like the timeline view.
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
