-- The problems of a message refused at dispatch by the media pre-flight (SPEC 11, issue 16): a JSON array of
-- {"field", "rule", "message"}, the shape of SPEC 3, shown as the result's "problems". NULL for every other message.
ALTER TABLE gw_message ADD COLUMN problems TEXT;
