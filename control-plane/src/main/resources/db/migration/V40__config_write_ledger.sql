-- One row per committed configuration write, keyed by an id the control plane draws before the
-- first attempt. When a connection breaks during COMMIT the outcome is unknown; the retry looks the
-- id up (under the config lock) and, if the first attempt did commit, answers its result instead of
-- applying the change a second time (which would record a duplicate revision or answer 409).
CREATE TABLE config_writes (
    write_id     UUID        PRIMARY KEY,
    -- the revision in effect after the write (the one it recorded, or the latest if it changed nothing)
    revision     BIGINT      NOT NULL,
    committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Rows are only needed while a retry can still come (seconds); old ones are pruned by writes.
CREATE INDEX config_writes_committed_at ON config_writes (committed_at);
