-- Closed reporting periods, and corrections to them.
-- A closed period records the content hash of what was known when it closed (the plan and every
-- update dated up to its last day). Updates dated inside it are refused afterwards unless they
-- are marked as corrections, with a reason, kept apart in the report.
CREATE TABLE closed_period (
    id            INTEGER PRIMARY KEY,
    strategy_id   TEXT NOT NULL REFERENCES strategy(id),
    period        TEXT NOT NULL,     -- as the user named it: 2023 or 2024H1
    first_day     TEXT NOT NULL,
    last_day      TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    load_event_id INTEGER NOT NULL REFERENCES load_event(id),
    UNIQUE (strategy_id, period)
) STRICT;

CREATE TRIGGER closed_period_no_update BEFORE UPDATE ON closed_period
BEGIN
    SELECT RAISE(ABORT, 'a closed period is final');
END;
CREATE TRIGGER closed_period_no_delete BEFORE DELETE ON closed_period
BEGIN
    SELECT RAISE(ABORT, 'a closed period is final');
END;

-- The reason an update corrects a closed period (NULL for ordinary updates).
ALTER TABLE status_update ADD COLUMN correction TEXT;
