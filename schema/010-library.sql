-- 010-library: which pattern library made each tag. A library is identified by its content hash
-- (the same rules from the source tree, an installed directory or the copy compiled in hash the
-- same); tag_library keeps one row per library that ever tagged this store, and every tag row
-- names its library by a small integer (the tag table is the largest after event: no text there).
--
-- Retag no longer drops every tag up front: each batch of events loses its old tags as it gets
-- the new ones, in one transaction. So the invariant of 002 becomes: every event with id <= meta
-- 'tags_upto' is tagged with library meta 'tags_hash'; an event above it holds no tag, or the tags
-- of the library that tagged it before (a retag that was stopped), each naming its library.

CREATE TABLE tag_library (
        id         INTEGER PRIMARY KEY,
        hash       TEXT NOT NULL UNIQUE,     -- content hash, 16 hex digits (meta 'tags_hash' when current)
        sources    TEXT,                     -- what it was built from: 'shipped VERSION' (compiled in), then
                                             -- 'DIR: FILE, FILE' per directory; NULL: not recorded (tags
                                             -- made before this step)
        rules      INTEGER,                  -- number of rules; NULL: not recorded
        first_used INTEGER                   -- µs since epoch UTC when it first tagged this store; NULL: not recorded
);

-- The tags that exist now were made by the library in meta (tag.c kept that invariant): it becomes
-- row 1, and the column's default gives every existing row that id without rewriting the table.
-- New rows always name their library; the default serves only the rows from before this step.
INSERT INTO tag_library (id, hash)
SELECT 1, coalesce((SELECT value FROM meta WHERE key = 'tags_hash'), 'unknown')
WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'tags_hash') OR EXISTS (SELECT 1 FROM tag);

ALTER TABLE tag ADD COLUMN library_id INTEGER NOT NULL DEFAULT 1 REFERENCES tag_library(id);

-- One row per pattern library that tagged this store, the one tagging it now marked current:
-- hash, sources, rules, first_used (RFC 3339 UTC, NULL when not recorded), the tags it made that
-- are still stored and the events they tag. A library whose tags were all replaced keeps its row
-- with 0 tags: the store's history of libraries.
CREATE VIEW library AS
SELECT l.hash,
       l.sources,
       l.rules,
       CASE WHEN l.first_used IS NULL THEN NULL
            ELSE printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', l.first_used / 1000000, 'unixepoch'),
                        l.first_used % 1000000) END AS first_used,
       coalesce(c.tags, 0) AS tags,
       coalesce(c.events, 0) AS events,
       l.hash IS (SELECT value FROM meta WHERE key = 'tags_hash') AS current
FROM tag_library l
LEFT JOIN (SELECT library_id, count(*) AS tags, count(DISTINCT event_id) AS events
           FROM tag GROUP BY library_id) c ON c.library_id = l.id
ORDER BY l.id;
