-- Indicator measurements, loaded from CSV. Append only, like the status history: a different
-- value for the same indicator, segment and year is a correction, and the latest row wins.
CREATE TABLE measurement (
    id           INTEGER PRIMARY KEY,
    strategy_id  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    segment      TEXT NOT NULL,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    source       TEXT,
    source_id    INTEGER NOT NULL REFERENCES source(id),
    fingerprint  TEXT NOT NULL,
    FOREIGN KEY (strategy_id, indicator_id) REFERENCES indicator(strategy_id, id)
) STRICT;
CREATE UNIQUE INDEX measurement_fingerprint ON measurement(strategy_id, fingerprint);
CREATE INDEX measurement_by_indicator ON measurement(strategy_id, indicator_id, segment, year);

CREATE TRIGGER measurement_no_update BEFORE UPDATE ON measurement
BEGIN
    SELECT RAISE(ABORT, 'measurements are append-only: load a correction instead');
END;
CREATE TRIGGER measurement_no_delete BEFORE DELETE ON measurement
BEGIN
    SELECT RAISE(ABORT, 'measurements are append-only: they are never deleted');
END;
