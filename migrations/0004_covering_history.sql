-- Reads that walk the history per initiative in order (the report's content hash, the graph
-- verbs' statuses) need only the day, the status and the fingerprint. With those in the
-- by-initiative index each is one walk of the index; without them, one lookup in the wide
-- history table per update (most of a report's time at national scale). The leading columns
-- are as before, so every other use of the index stays.
DROP INDEX status_update_by_initiative;
CREATE INDEX status_update_by_initiative
    ON status_update(strategy_id, initiative_id, reported_on, id, status, fingerprint);
