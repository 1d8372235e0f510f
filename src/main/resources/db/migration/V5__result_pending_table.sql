-- Finished messages whose result file is not written yet, in a table of their own (issue 7): a row is inserted with
-- the finishing transition and deleted once the file is written. Keeping this in gw_message cost a second update of
-- the message row and of two of its indexes per message; this table holds only the few in between.
CREATE TABLE gw_result_pending (
    seq         BIGINT NOT NULL PRIMARY KEY,
    finished_at BIGINT NOT NULL
);
INSERT INTO gw_result_pending (seq, finished_at)
    SELECT seq, COALESCE(finished_at, 0) FROM gw_message WHERE result_pending = TRUE;
DROP INDEX ix_gw_message_result_pending;
ALTER TABLE gw_message DROP COLUMN result_pending;
