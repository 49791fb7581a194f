-- When a data plane's in-flight counts were last replaced (in the same transaction as its backend_in_flight rows).
-- Heartbeats list only backends with requests in flight or being drained, so a backend without a row had none as of
-- this time; last_heartbeat_at is set in a separate write and could run ahead of the rows.
ALTER TABLE dataplanes ADD COLUMN in_flight_at TIMESTAMPTZ;
