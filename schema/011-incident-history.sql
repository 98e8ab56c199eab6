-- 011-incident-history: the analysis tables become a history, and scan's notifications get a state
-- per incident and hook.
--
-- Until 010 every analysis replaced all analysis_* rows: the views showed the last window only,
-- a quiet night emptied them, and scan_reported alone remembered what had been reported. From
-- here on an analysis replaces only what the store holds for its own window (since .. until, an
-- open end reaching to the first or last event), in one transaction (store-analysis.c):
--
-- * analysis_incident keeps every incident ever found, until a later prune. An incident of the new
--   analysis is the same incident as every stored one whose span it overlaps, give or take a
--   minute (within one analysis incidents are at least 10 minutes apart, so an overlap is one
--   episode of the cluster, however a window cut it): it takes over the lowest of their ids, their
--   report and their notification state, and the others go. A stored incident lying wholly inside
--   the window that the new analysis does not find again goes too (its logs were changed: retag,
--   a removed source); one reaching out of the window stays, since a window that cuts an incident
--   may not see it at all.
-- * analysis_boot keeps every boot of every analysis, one row per (node, boot_id): a boot lying
--   wholly inside the window is replaced; one seen before is merged (its first and last event
--   widened; how it ended taken from the analysis that saw furthest into it).
-- * analysis_membership keeps the change points inside every analysed window, plus the membership
--   in force when a window starts when nothing stored says what it was; a re-analysis replaces
--   the points inside its window. A point equal to the one before it is not a change and goes.
--
-- Times stay skew-corrected UTC microseconds, as in 005; wall-clock times are µs UTC.

DROP VIEW incidents;

-- AUTOINCREMENT: an id is never given to another incident, also after its incident was removed.
CREATE TABLE analysis_incident_011 (
        id               INTEGER PRIMARY KEY AUTOINCREMENT, -- stable across re-analyses (see above)
        start            INTEGER NOT NULL,     -- µs UTC, corrected: when the cluster became degraded
        end              INTEGER,              -- µs UTC, corrected: when it was stable again
        classification   TEXT NOT NULL,        -- reboot-cascade | node-reboot | planned-maintenance | ...
        severity         TEXT,                 -- critical | major | minor
        root_kind        TEXT,                 -- root cause hypothesis kind (manual-reboot, node-crash...); NULL without one
        root_node        TEXT,                 -- node the root cause is about; NULL when not one node
        root_at          INTEGER,              -- µs UTC, corrected: when the root cause happened
        root_summary     TEXT,                 -- plain text; contains log text: escape before rendering
        root_confidence  REAL,                 -- 0..1
        nodes_expected   INTEGER,              -- cluster size (corosync.conf, else the largest membership)
        min_members      INTEGER,              -- fewest members during the incident
        degraded_seconds REAL,                 -- seconds with fewer members than expected
        quorum_lost      INTEGER,              -- 1 when some node lost quorum
        report_json      TEXT,                 -- the incident object exactly as `analyze --format json` wrote it
        reported_at      INTEGER,              -- µs UTC wall clock when scan wrote its report
        report_path      TEXT,                 -- that report's path; NULL when not reported (yet)
        window_since     INTEGER,              -- µs UTC: the window of the analysis that found it; NULL: open
        window_until     INTEGER,              -- µs UTC; NULL: open (up to the last event)
        analysed_at      INTEGER,              -- µs UTC wall clock of that analysis
        cascade_version  TEXT,                 -- the version of the cascade that analysed it
        patterns_hash    TEXT                  -- meta 'tags_hash' then: the library whose tags it read
        -- Rows carried over from 010 have no window, analysed_at, version or hash (NULL); rows
        -- made from scan_reported below hold only start, classification, root_node and the report.
);

INSERT INTO analysis_incident_011 (id, start, end, classification, severity, root_kind, root_node, root_at,
                                   root_summary, root_confidence, nodes_expected, min_members, degraded_seconds,
                                   quorum_lost, report_json, reported_at, report_path)
SELECT id, start, end, classification, severity, root_kind, root_node, root_at, root_summary, root_confidence,
       nodes_expected, min_members, degraded_seconds, quorum_lost, report_json, reported_at, report_path
FROM analysis_incident;

-- Incidents reported by earlier windows: what scan_reported remembered is all there is of them,
-- and enough to know them again (same start) and never report them twice.
INSERT INTO analysis_incident_011 (start, classification, root_node, reported_at, report_path)
SELECT r.start, r.classification, nullif(r.root_node, ''), r.reported_at, r.report_path
FROM scan_reported r
WHERE NOT EXISTS (SELECT 1 FROM analysis_incident i
                  WHERE i.classification = r.classification AND coalesce(i.root_node, '') = r.root_node
                    AND i.start / 60000000 BETWEEN r.start_minute - 1 AND r.start_minute + 1)
ORDER BY r.start;

DROP TABLE scan_reported;
DROP TABLE analysis_incident;
ALTER TABLE analysis_incident_011 RENAME TO analysis_incident;
CREATE INDEX analysis_incident_start ON analysis_incident (start);

-- What scan did to tell people about an incident: one row per incident and hook, from the first
-- call on. A hook is the report ('report': the Markdown file written into --reports-dir) or one
-- --exec command ('exec ' followed by the command as given). A failed call is retried by the next
-- scans, up to 5 calls and no later than 7 days after the first (verb-scan.c, NOTIFY_MAX_ATTEMPTS
-- and NOTIFY_RETRY_FOR); a call that succeeded is never made again. The --exec commands of an
-- incident are first called by the scan that writes its report.
CREATE TABLE incident_notification (
        incident_id      INTEGER NOT NULL,     -- analysis_incident.id
        hook             TEXT NOT NULL,        -- 'report' | 'exec CMD'
        attempts         INTEGER NOT NULL,     -- calls started, the one under way included
        first_attempt    INTEGER NOT NULL,     -- µs UTC wall clock of the first call
        last_attempt     INTEGER NOT NULL,     -- µs UTC wall clock of the latest call
        last_error       TEXT,                 -- why the latest call failed ('exit status 1'); NULL once it succeeded
        succeeded_at     INTEGER,              -- µs UTC wall clock of the call that succeeded
        gave_up_at       INTEGER,              -- µs UTC wall clock when scan stopped retrying; NULL while it retries
        PRIMARY KEY (incident_id, hook)
) WITHOUT ROWID;

-- An incident reported before 011 had its report written; its --exec command ran once, after it.
INSERT INTO incident_notification (incident_id, hook, attempts, first_attempt, last_attempt, succeeded_at)
SELECT id, 'report', 1, reported_at, reported_at, reported_at FROM analysis_incident WHERE reported_at IS NOT NULL;

-- One row per notification hook of an incident. state: sent | pending (failed, retried by the
-- next scan) | failed (no more retries).
CREATE VIEW notifications AS
SELECT incident_id,
       hook,
       CASE WHEN succeeded_at IS NOT NULL THEN 'sent' WHEN gave_up_at IS NOT NULL THEN 'failed' ELSE 'pending' END AS state,
       attempts,
       last_error,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', first_attempt / 1000000, 'unixepoch'), first_attempt % 1000000) AS first_attempt,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', last_attempt / 1000000, 'unixepoch'), last_attempt % 1000000) AS last_attempt,
       CASE WHEN succeeded_at IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', succeeded_at / 1000000, 'unixepoch'), succeeded_at % 1000000) END AS succeeded_at,
       CASE WHEN gave_up_at IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', gave_up_at / 1000000, 'unixepoch'), gave_up_at % 1000000) END AS gave_up_at
FROM incident_notification;

-- Every incident kept. The columns up to report_json are those of 005 with the same meaning (id is
-- now the incident's stable id, no longer its number in one analysis; end and the columns after
-- root_node are NULL for the incidents carried over from scan_reported). notification sums up
-- its hooks, the worst first: NULL (no scan notified it: found by analyze, or never new to a
-- scan), 'sent', 'pending (HOOK: attempt N/5: ERROR)' or 'failed (HOOK: attempt N/5: ERROR)'.
CREATE VIEW incidents AS
SELECT i.id,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.start / 1000000, 'unixepoch'), i.start % 1000000) AS start,
       CASE WHEN i.end IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.end / 1000000, 'unixepoch'), i.end % 1000000) END AS end,
       i.classification,
       i.severity,
       i.root_node,
       i.root_summary AS summary,
       i.report_path,
       i.root_kind,
       i.root_confidence,
       i.nodes_expected,
       i.min_members,
       i.degraded_seconds,
       i.quorum_lost,
       i.report_json,
       (SELECT CASE WHEN n.succeeded_at IS NOT NULL THEN 'sent'
                    ELSE CASE WHEN n.gave_up_at IS NOT NULL THEN 'failed' ELSE 'pending' END
                         || ' (' || n.hook || ': attempt ' || n.attempts || '/5: ' || coalesce(n.last_error, 'no result') || ')'
               END
        FROM incident_notification n WHERE n.incident_id = i.id
        ORDER BY CASE WHEN n.gave_up_at IS NOT NULL AND n.succeeded_at IS NULL THEN 0
                      WHEN n.succeeded_at IS NULL THEN 1 ELSE 2 END, n.hook
        LIMIT 1) AS notification,
       CASE WHEN i.reported_at IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.reported_at / 1000000, 'unixepoch'), i.reported_at % 1000000) END AS reported_at,
       CASE WHEN i.window_since IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.window_since / 1000000, 'unixepoch'), i.window_since % 1000000) END AS window_since,
       CASE WHEN i.window_until IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.window_until / 1000000, 'unixepoch'), i.window_until % 1000000) END AS window_until,
       CASE WHEN i.analysed_at IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', i.analysed_at / 1000000, 'unixepoch'), i.analysed_at % 1000000) END AS analysed_at,
       i.cascade_version,
       i.patterns_hash,
       i.start AS start_usec
FROM analysis_incident i;
