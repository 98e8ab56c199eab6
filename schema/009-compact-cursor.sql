-- 009-compact-cursor: journal cursors are stored without the parts the row already holds.
--
-- A journal cursor is s=SEQNUM_ID;i=SEQNUM;b=BOOT_ID;m=MONOTONIC;t=REALTIME;x=XOR_HASH (hex). When
-- its b, m and t are the event's own boot id, mono and ts, ingest stores s=..;i=..;x=.. instead:
-- 70 bytes less for every journal event (about 5% faster journal ingest, bench/RESULTS.md). Events
-- stored before keep their whole cursor. event_cursor gives every event's cursor whole, as
-- `journalctl --cursor` takes it; the timeline view and reports read it from there.
CREATE VIEW event_cursor AS
SELECT e.id AS event_id,
       CASE WHEN instr(e.cursor, ';b=') = 0 AND instr(e.cursor, ';x=') > 0 AND b.boot_id IS NOT NULL
                 AND e.mono IS NOT NULL
            THEN replace(e.cursor, ';x=', printf(';b=%s;m=%x;t=%x;x=', b.boot_id, e.mono, e.ts))
            ELSE e.cursor END AS cursor
FROM event e
LEFT JOIN boot b ON b.id = e.boot;

DROP VIEW timeline;
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
