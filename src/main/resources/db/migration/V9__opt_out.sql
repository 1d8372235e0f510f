-- Contacts opted out of one sender account's messages (SPEC 5): set and cleared by hand through
-- PUT/DELETE /api/contacts/<number>/opt-out?from=<account> (and by the STOP/START keywords of incoming messages).
-- A message to an opted-out contact is refused at dispatch; the time is when the contact opted out.
CREATE TABLE gw_opt_out (
    account      VARCHAR(64) NOT NULL,
    contact      VARCHAR(64) NOT NULL,
    opted_out_at BIGINT      NOT NULL,
    PRIMARY KEY (account, contact)
);
