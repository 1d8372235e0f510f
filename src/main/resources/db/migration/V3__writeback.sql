-- Legacy database poller (SPEC 4.3): messages taken from a legacy row whose outcome must still be written back to
-- that row with gateway.poller.write-back. Written in the gateway's own store when the item is stored, read by the
-- intake-database-writeback route once the message has finished, deleted when the row has its outcome, so a crash
-- at any point writes the outcome again rather than not at all. The row key keeps its JDBC type (java.sql.Types).
CREATE TABLE gw_writeback (
    message_id   VARCHAR(128) NOT NULL PRIMARY KEY,
    row_key      VARCHAR(512) NOT NULL,
    row_key_type INT          NOT NULL,
    queued_at    BIGINT       NOT NULL
);
