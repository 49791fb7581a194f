-- Issue 15: a node id belongs to the data-plane token that first said hello with it, so another
-- token's holder cannot take the node over (receive its config, plant its health reports). The
-- binding lives apart from `dataplanes` because that row is purged after a silence, and a silent
-- node must not become claimable; deleting the token releases its nodes.
CREATE TABLE dataplane_binding (
    node_id  VARCHAR(253) PRIMARY KEY,
    token_id BIGINT       NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    bound_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX dataplane_binding_token ON dataplane_binding (token_id);
