-- Issue 17: canary rollouts. A rollout holds the fleet split between two revisions while it bakes:
-- nodes its cohort selects run `revision`, every other node keeps `base_revision`. Any control-plane
-- instance can judge it; the one that does holds a lease (owner, lease_until) it renews every tick,
-- so another instance takes over when the owner dies.
CREATE TABLE rollouts (
    id                  BIGSERIAL    PRIMARY KEY,
    revision            BIGINT       NOT NULL REFERENCES revisions (number),
    base_revision       BIGINT       NOT NULL REFERENCES revisions (number),
    state               VARCHAR(16)  NOT NULL CHECK (state IN ('baking', 'promoted', 'aborted')),
    cohort              VARCHAR(512) NOT NULL,
    bake_time_ms        BIGINT       NOT NULL,
    abort_on_nack       BOOLEAN      NOT NULL,
    error_rate_increase DOUBLE PRECISION NOT NULL,
    p99_increase        DOUBLE PRECISION NOT NULL,
    auto_promote        BOOLEAN      NOT NULL,
    author              VARCHAR(200) NOT NULL,
    started_at          TIMESTAMPTZ  NOT NULL,
    bake_ends_at        TIMESTAMPTZ  NOT NULL,
    ended_at            TIMESTAMPTZ,
    -- 'gates' when the control plane decided, else the token that promoted or aborted
    ended_by            VARCHAR(200),
    reason              TEXT,
    -- the revision that put the base configuration back after an abort
    abort_revision      BIGINT,
    owner               VARCHAR(64),
    lease_until         TIMESTAMPTZ,
    -- JSON: the newest gate readings
    readings            TEXT
);
-- At most one rollout bakes at a time.
CREATE UNIQUE INDEX rollouts_one_baking ON rollouts (state) WHERE state = 'baking';

-- Per rollout and node: the first and the newest heartbeat counters while the node ran its target
-- revision; their difference is the node's traffic during the bake.
CREATE TABLE rollout_samples (
    rollout_id     BIGINT       NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    node_id        VARCHAR(253) NOT NULL,
    cohort         BOOLEAN      NOT NULL,
    first_at       TIMESTAMPTZ  NOT NULL,
    first_requests BIGINT       NOT NULL,
    first_errors   BIGINT       NOT NULL,
    first_latency  TEXT,
    last_at        TIMESTAMPTZ  NOT NULL,
    last_requests  BIGINT       NOT NULL,
    last_errors    BIGINT       NOT NULL,
    last_latency   TEXT,
    PRIMARY KEY (rollout_id, node_id)
);

-- The defaults of ?rollout=canary (GET, PUT /rollouts/policy); one row.
CREATE TABLE rollout_policy (
    id                  INT          PRIMARY KEY CHECK (id = 1),
    cohort              VARCHAR(512),
    bake_time_ms        BIGINT       NOT NULL,
    abort_on_nack       BOOLEAN      NOT NULL,
    error_rate_increase DOUBLE PRECISION NOT NULL,
    p99_increase        DOUBLE PRECISION NOT NULL,
    auto_promote        BOOLEAN      NOT NULL,
    updated_at          TIMESTAMPTZ,
    updated_by          VARCHAR(200)
);
INSERT INTO rollout_policy (id, cohort, bake_time_ms, abort_on_nack, error_rate_increase, p99_increase, auto_promote)
VALUES (1, NULL, 60000, TRUE, 1.0, 50.0, TRUE);
