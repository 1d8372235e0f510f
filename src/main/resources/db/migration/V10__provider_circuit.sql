-- The provider's circuit breaker (SPEC 7, "An outage is not the message's fault"): one row, in the store so that it
-- outlives a restart and every instance on a shared store obeys it. Open while opened_at is set: claims take no
-- message then, except the one probe (probe_token: the claim token of the probe call in flight, probe_until: when
-- its slot is free again if its instance died), due at next_probe_at; probe_interval_ms doubles after each failed
-- probe. probe_seq: the message the last probe sent, left out of the next probe while another message is due.
CREATE TABLE gw_provider_circuit (
    id                INT          NOT NULL PRIMARY KEY,
    opened_at         BIGINT,
    last_error        VARCHAR(500),
    last_error_at     BIGINT,
    probe_interval_ms BIGINT,
    next_probe_at     BIGINT,
    probe_token       VARCHAR(64),
    probe_until       BIGINT,
    probe_seq         BIGINT
);
INSERT INTO gw_provider_circuit (id) VALUES (1);
