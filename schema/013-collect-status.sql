-- 013-collect-status: how each node's last collect went, for the nightly job's metrics and for
-- whoever asks why a node's events stop. One row per node `collect` (or `scan`, which runs it) was
-- asked to fetch, by its configured name; written at the end of every collect.
CREATE TABLE node_collect (
        node          TEXT PRIMARY KEY,      -- the node's name in the configuration
        last_attempt  INTEGER NOT NULL,      -- µs UTC wall clock of the last collect that tried it
        last_success  INTEGER,               -- µs UTC wall clock of the last one that stored its journal; NULL: never
        last_error    TEXT                   -- why the last attempt failed (ssh's words); NULL when it succeeded
) WITHOUT ROWID;

CREATE VIEW collect_status AS
SELECT node,
       CASE WHEN last_error IS NULL THEN 'ok' ELSE 'failed' END AS state,
       printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', last_attempt / 1000000, 'unixepoch'), last_attempt % 1000000) AS last_attempt,
       CASE WHEN last_success IS NOT NULL THEN
            printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', last_success / 1000000, 'unixepoch'), last_success % 1000000) END AS last_success,
       last_error
FROM node_collect;
