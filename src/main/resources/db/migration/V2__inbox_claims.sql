-- Claims on inbox files, so that several instances reading one shared inbox process each file once (SPEC 9).
-- The table of Camel's JDBC idempotent repository, with room for a whole file path as the key.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName VARCHAR(255)  NOT NULL,
    messageId     VARCHAR(1000) NOT NULL,
    createdAt     TIMESTAMP,
    PRIMARY KEY (processorName, messageId)
);
