-- Issue 5: fleet-wide health. Names are plain text (not foreign keys): observations outlive a
-- deleted backend in the history, and a data plane may report a backend of an older revision.

-- The latest state each data plane reports for each backend.
CREATE TABLE health_observation (
    node_id     text        NOT NULL,
    pool        text        NOT NULL,
    backend     text        NOT NULL,
    state       text        NOT NULL,
    reason      text        NOT NULL,
    observed_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (node_id, pool, backend)
);

-- Every reported transition, in arrival order (id); pruned after the retention setting.
CREATE TABLE health_event (
    id          bigserial   PRIMARY KEY,
    node_id     text        NOT NULL,
    pool        text        NOT NULL,
    backend     text        NOT NULL,
    state       text        NOT NULL,
    reason      text        NOT NULL,
    observed_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX health_event_backend ON health_event (pool, backend, id);
CREATE INDEX health_event_received ON health_event (received_at);

-- Requests in flight per (data plane, backend), from the latest heartbeat of each data plane.
CREATE TABLE backend_in_flight (
    node_id     text        NOT NULL,
    pool        text        NOT NULL,
    backend     text        NOT NULL,
    in_flight   integer     NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (node_id, pool, backend)
);
