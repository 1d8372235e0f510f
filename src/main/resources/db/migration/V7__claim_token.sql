-- A claim's own token (issue 13, SPEC 7): set with each claim, renewed with its lease while the instance works on the
-- message, and required by the UPDATE that records the call's outcome. A claim taken over (its lease ran out) gets a
-- new token, so the old owner's late answer can no longer finish the new claim.
ALTER TABLE gw_message ADD COLUMN claim_token VARCHAR(64);
