-- Messages by the time they finished (SPEC 10): GET /api/stats/sent-per-minute reads the last hour of them every few
-- seconds while a console is open. On H2 the index changes only when a message finishes (its other updates leave
-- finished_at as it was).
CREATE INDEX ix_gw_message_finished ON gw_message (finished_at);
