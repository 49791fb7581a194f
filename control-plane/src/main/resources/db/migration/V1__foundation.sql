-- Ballast foundation schema. JSON settings are stored as text: the shared-model records own their
-- shape, and the columns beside them are what the control plane queries or locks on.

CREATE TABLE pools (
    id          BIGSERIAL PRIMARY KEY,
    name        VARCHAR(63)  NOT NULL UNIQUE,
    -- every Pool field except name and backends, as JSON
    settings    TEXT         NOT NULL,
    -- optimistic locking, and the ETag of the resource
    version     BIGINT       NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE backends (
    id          BIGSERIAL PRIMARY KEY,
    pool_id     BIGINT       NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name        VARCHAR(253) NOT NULL,
    host        VARCHAR(253) NOT NULL,
    port        INTEGER      NOT NULL CHECK (port BETWEEN 1 AND 65535),
    weight      INTEGER      NOT NULL CHECK (weight BETWEEN 0 AND 1000),
    admin_state VARCHAR(16)  NOT NULL CHECK (admin_state IN ('enabled', 'draining', 'disabled')),
    labels      TEXT         NOT NULL DEFAULT '{}',
    version     BIGINT       NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT backends_pool_name_unique UNIQUE (pool_id, name)
);

CREATE TABLE routes (
    id          BIGSERIAL PRIMARY KEY,
    name        VARCHAR(63)  NOT NULL UNIQUE,
    -- the pool is a column too, so "which routes use this pool" is a query and the database
    -- itself refuses to delete a pool that a route still names
    pool_name   VARCHAR(63)  NOT NULL REFERENCES pools (name) ON DELETE RESTRICT,
    -- every Route field, as JSON
    settings    TEXT         NOT NULL,
    version     BIGINT       NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX routes_pool_name ON routes (pool_name);

CREATE TABLE revisions (
    number        BIGINT       PRIMARY KEY,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    author        VARCHAR(128) NOT NULL,
    message       TEXT,
    snapshot_json TEXT         NOT NULL,
    -- lower-case hex SHA-256 of snapshot_json
    hash          CHAR(64)     NOT NULL
);

CREATE TABLE tokens (
    id           BIGSERIAL PRIMARY KEY,
    name         VARCHAR(63)  NOT NULL UNIQUE,
    role         VARCHAR(16)  NOT NULL CHECK (role IN ('viewer', 'operator', 'admin', 'dataplane')),
    -- hex of the first 8 bytes of SHA-256(secret): finds the row without a slow hash per row
    lookup_key   CHAR(16)     NOT NULL,
    -- pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>
    secret_hash  VARCHAR(255) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ
);
CREATE INDEX tokens_lookup_key ON tokens (lookup_key);

CREATE TABLE dataplanes (
    node_id            VARCHAR(253) PRIMARY KEY,
    hostname           VARCHAR(253),
    version            VARCHAR(64),
    labels             TEXT        NOT NULL DEFAULT '{}',
    applied_revision   BIGINT,
    applied_hash       CHAR(64),
    connected          BOOLEAN     NOT NULL DEFAULT FALSE,
    -- which control-plane process holds the socket (several may run)
    cp_instance        VARCHAR(64),
    first_seen         TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen          TIMESTAMPTZ NOT NULL DEFAULT now(),
    connected_at       TIMESTAMPTZ,
    last_ack_at        TIMESTAMPTZ,
    -- the newest refusal, kept until a later ack clears it
    last_nack_revision BIGINT,
    last_nack_at       TIMESTAMPTZ,
    last_errors        TEXT
);
CREATE INDEX dataplanes_last_seen ON dataplanes (last_seen);
