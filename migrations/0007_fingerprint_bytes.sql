-- An update's fingerprint as its 32 bytes, not 64 hex digits (issue [6/8]). The fingerprint is
-- in the history table and in two of its indexes (the unique one that keeps each update once,
-- and the covering one the content hash walks): as text it was 192 bytes an update, a third of
-- the database, and every lookup compared 64 characters.
--
-- Nothing a fingerprint means changes. It is still the SHA-256 of the update's content; where it
-- is shown or hashed (a closed period's content hash, an export's retractions) it is written as
-- the same 64 lowercase hex digits, so every content hash rebuilds as it did. A stored value
-- that is not 64 lowercase hex digits (only raw SQL could have written one) is kept as the text
-- it is, so that `period verify` still finds it, and finds exactly what it found before.
--
-- The by-date index (0001) goes: every read of a span of days now seeks per initiative in the
-- by-initiative index, which gives the rows in the order they are used; the by-date index was a
-- fifth of the history's size and one more index to keep on every insert.
--
-- SQLite cannot change a column's type: the table is made anew, with the same columns in the
-- same order, the same rows and ids, the same indexes but one and the same append-only triggers
-- (0001, 0005). The migration runs with foreign keys off, as SQLite prescribes for this, and
-- checks them before it commits (`retraction` refers to the history by id).

CREATE TABLE status_update_0007 (
    id              INTEGER PRIMARY KEY,
    strategy_id     TEXT NOT NULL,
    initiative_id   TEXT NOT NULL,
    reported_on     TEXT NOT NULL,   -- the day the status holds for, YYYY-MM-DD
    status          TEXT NOT NULL CHECK (status IN ('not-started', 'on-track', 'at-risk', 'delayed', 'completed', 'paused', 'cancelled')),
    progress        INTEGER CHECK (progress BETWEEN 0 AND 100),
    summary         TEXT,
    description     TEXT,
    success_factors TEXT,
    challenges      TEXT,
    lessons         TEXT,
    next_year       TEXT,
    respondent      TEXT,
    source_id       INTEGER NOT NULL REFERENCES source(id),
    -- The SHA-256 of the content, 32 bytes: the same update is stored once. (Text only where an
    -- older database held a value that was not a SHA-256 in hex; see above.)
    fingerprint     ANY NOT NULL CHECK ((typeof(fingerprint) = 'blob' AND length(fingerprint) = 32)
                                        OR typeof(fingerprint) = 'text'),
    correction      TEXT,
    basis           TEXT CHECK (basis IN ('reported', 'inferred')),
    cited_source    TEXT,
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT;

INSERT INTO status_update_0007 (id, strategy_id, initiative_id, reported_on, status, progress,
        summary, description, success_factors, challenges, lessons, next_year, respondent,
        source_id, fingerprint, correction, basis, cited_source)
    SELECT id, strategy_id, initiative_id, reported_on, status, progress,
        summary, description, success_factors, challenges, lessons, next_year, respondent,
        source_id,
        CASE WHEN length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'
             THEN unhex(fingerprint) ELSE fingerprint END,
        correction, basis, cited_source
    FROM status_update ORDER BY id;

DROP TABLE status_update;
ALTER TABLE status_update_0007 RENAME TO status_update;

CREATE INDEX status_update_by_initiative
    ON status_update(strategy_id, initiative_id, reported_on, id, status, fingerprint);
CREATE UNIQUE INDEX status_update_fingerprint ON status_update(strategy_id, fingerprint);

CREATE TRIGGER status_update_no_update BEFORE UPDATE ON status_update
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: record a correction as a new update');
END;
CREATE TRIGGER status_update_no_delete BEFORE DELETE ON status_update
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: updates are never deleted');
END;
CREATE TRIGGER status_update_no_replace BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: an update is never replaced');
END;
CREATE TRIGGER status_update_same_content BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE strategy_id = NEW.strategy_id AND fingerprint = NEW.fingerprint)
BEGIN
    SELECT RAISE(IGNORE);
END;
