-- 004-views: stable views for people who do not know the schema (cascade query). Times are
-- RFC 3339 UTC with microseconds; sources are 'path:line' or 'path (cursor ...)'.

-- One row per stored event.
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
            WHEN e.cursor IS NOT NULL THEN s.path || ' (cursor ' || e.cursor || ')'
            ELSE s.path END AS source,
       e.id AS event_id,
       e.ts AS ts_usec
FROM event e
JOIN node n ON n.id = e.node_id
JOIN source s ON s.id = e.source_id
LEFT JOIN boot b ON b.id = e.boot;

-- One row per tag: what the pattern library said about an event.
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
