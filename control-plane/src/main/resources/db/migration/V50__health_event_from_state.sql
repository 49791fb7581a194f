-- The state a backend left in each transition (NULL for the first report of a node), so the history
-- reads "healthy -> draining" rather than a bare destination.
ALTER TABLE health_event ADD COLUMN from_state text;
