-- Webhook deliveries handed to their route from the store (SPEC 6): clicks to on-button-reply, other incoming
-- messages to on-message, statuses to on-status, retried with backoff until one try succeeds. next_handover_at is
-- when the next try is due (NULL: nothing owed: handed over, or stored before this version); a try in progress moves
-- it a lease ahead, so a crash in the middle leaves the hook due again (at least once). handover_attempts counts the
-- tries and fences them: only the try that claimed the hook can mark it handed over or failed.
ALTER TABLE gw_hook ADD COLUMN next_handover_at BIGINT;
ALTER TABLE gw_hook ADD COLUMN handover_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE gw_hook ADD COLUMN handed_over_at BIGINT;
ALTER TABLE gw_hook ADD COLUMN last_error VARCHAR(2000);
CREATE INDEX ix_gw_hook_handover ON gw_hook (next_handover_at);

-- Delivery statuses owed to legacy rows (SPEC 4.3, gateway.poller.status-update): one row per message taken from a
-- legacy row, recorded with its write-back while the status update is configured, so a status hook that names the
-- message later still finds the row's key (with its JDBC type). delivery_status is the status to write, next_at when
-- (NULL: nothing owed). Deleted once a final status (read, played, failed) is written, or its message is gone.
CREATE TABLE gw_legacy_status (
    message_id      VARCHAR(128) NOT NULL PRIMARY KEY,
    row_key         VARCHAR(512) NOT NULL,
    row_key_type    INT          NOT NULL,
    delivery_status VARCHAR(64),
    attempts        INT          DEFAULT 0 NOT NULL,
    next_at         BIGINT,
    last_error      VARCHAR(2000)
);
CREATE INDEX ix_gw_legacy_status_due ON gw_legacy_status (next_at);
