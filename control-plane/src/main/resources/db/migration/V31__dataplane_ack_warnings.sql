-- Issue 15: what a data plane's newest ack warned about (e.g. its snapshot cache could not be written), as a
-- JSON array of strings; null when the newest ack carried no warning. Shown in GET /dataplanes and as the
-- CACHE_FAILED sync state.
ALTER TABLE dataplanes ADD COLUMN ack_warnings TEXT;
