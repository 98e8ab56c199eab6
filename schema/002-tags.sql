-- 002-tags: derived data. Tags are what the pattern library says about an event; they are deleted
-- and recomputed whenever the library's content hash changes (meta 'tags_hash'). Invariant kept by
-- ingest and retag: every event with id <= meta 'tags_upto' is tagged with library 'tags_hash', and
-- no event above it is, so a killed retag resumes where it stopped.

CREATE TABLE tag (
        event_id   INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
        rule       TEXT NOT NULL,            -- pattern rule id, e.g. 'corosync.quorum.lost'
        kind       TEXT NOT NULL,            -- event kind, e.g. 'corosync.quorum.lost', 'ha.service.state'
        severity   TEXT NOT NULL,            -- debug | info | notice | warning | error | critical
        captures   TEXT NOT NULL,            -- JSON object of the rule's named captures that matched
        PRIMARY KEY (event_id, rule)
) WITHOUT ROWID;
CREATE INDEX tag_kind ON tag (kind, event_id);
