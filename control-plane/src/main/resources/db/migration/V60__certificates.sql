-- Issue 11: certificates. The PEM chain is public; the private key lives apart, sealed with AES-GCM
-- and keyed by the leaf's SHA-256 fingerprint, so any revision that names a certificate (a rollback,
-- an exported file applied again) finds its key, and no revision ever stores one.
CREATE TABLE certificates (
    id              bigserial   PRIMARY KEY,
    name            varchar(63) NOT NULL UNIQUE,
    pem             text        NOT NULL,
    has_private_key boolean     NOT NULL,
    version         bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE certificate_keys (
    fingerprint char(64)    PRIMARY KEY,
    sealed      bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);
