-- A finished message whose result file is not yet written (SPEC 7: every finished message has one). Set in the
-- same transaction as the finishing transition, cleared once the file is written; housekeeping writes what a crash
-- between the two left out.
ALTER TABLE gw_message ADD COLUMN result_pending BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX ix_gw_message_result_pending ON gw_message (result_pending, finished_at);
