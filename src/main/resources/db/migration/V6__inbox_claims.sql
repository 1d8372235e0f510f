-- Claims on inbox files when several instances read one shared inbox (SPEC 9). A claim is taken in the transaction
-- that stores the file's items and removed once the file is moved; it replaces Camel's JDBC idempotent read lock,
-- which cost two commits of its own per file (SPEC 4.1: the inbox keeps up with dispatch).
CREATE TABLE gw_inbox_claim (
    file_key   VARCHAR(1000) NOT NULL PRIMARY KEY,
    instance   VARCHAR(64)   NOT NULL,
    claimed_at BIGINT        NOT NULL
);
DROP TABLE CAMEL_MESSAGEPROCESSED;
