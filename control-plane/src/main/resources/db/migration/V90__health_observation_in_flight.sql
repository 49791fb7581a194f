-- Issue 18: the requests a data plane had in flight to a backend when it reported the observation (null
-- from data planes that do not say). A draining report with 0 confirms the drain on that data plane at
-- once, instead of at its next heartbeat.
ALTER TABLE health_observation ADD COLUMN in_flight integer;
