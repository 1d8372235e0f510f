-- Scheduled sends (SPEC 3, 5: sendAt). A message whose sendAt is ahead is stored SCHEDULED, with a row in gw_schedule
-- (only those: nothing costs the messages that are not scheduled); housekeeping moves the due ones to QUEUED.
-- queue_seq is a message's place in its contact's order: given from gw_queue_seq when it is stored and again when a
-- scheduled message comes due, so it goes after what the contact already has queued at that moment (a place by seq
-- alone would put it before messages accepted after it but queued long before it was due). V10 is the circuit's.
CREATE SEQUENCE gw_queue_seq START WITH 1;
ALTER TABLE gw_message ADD COLUMN queue_seq BIGINT DEFAULT nextval('gw_queue_seq');
-- messages stored before this version keep their order, ahead of every one stored after it
UPDATE gw_message SET queue_seq = seq - (SELECT MAX(seq) FROM gw_message) - 1;
ALTER TABLE gw_message ALTER COLUMN queue_seq SET NOT NULL;

CREATE TABLE gw_schedule (
    message_id VARCHAR(128) NOT NULL PRIMARY KEY,
    due_at     BIGINT       NOT NULL
);
CREATE INDEX ix_gw_schedule_due ON gw_schedule (due_at);
