-- Issue 4: why a node was refused, when it last sent a heartbeat (for the STALE sync state), and
-- per revision and node how long the change took from commit to the node's answer.

ALTER TABLE dataplanes ADD COLUMN refused_reason    TEXT;
ALTER TABLE dataplanes ADD COLUMN last_heartbeat_at TIMESTAMPTZ;

CREATE TABLE revision_propagation (
    revision    BIGINT       NOT NULL REFERENCES revisions (number) ON DELETE CASCADE,
    -- no foreign key to dataplanes: the history outlives the purge of a node that went away
    node_id     VARCHAR(253) NOT NULL,
    status      VARCHAR(8)   NOT NULL CHECK (status IN ('acked', 'nacked')),
    answered_at TIMESTAMPTZ  NOT NULL,
    -- answered_at minus the revision's created_at; the first answer per node counts
    latency_ms  BIGINT       NOT NULL,
    -- JSON array of {field, message} for a nack
    errors      TEXT,
    PRIMARY KEY (revision, node_id)
);
