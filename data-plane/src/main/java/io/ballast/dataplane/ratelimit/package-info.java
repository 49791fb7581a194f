/** Route rate limits on the data plane: bounded, lock-free token buckets per client key, and this node's share of fleet limits. */
package io.ballast.dataplane.ratelimit;
