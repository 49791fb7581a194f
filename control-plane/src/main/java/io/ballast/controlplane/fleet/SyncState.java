package io.ballast.controlplane.fleet;

/**
 * How far a node is from the newest revision, as the control plane sees it. Evaluated in this order:
 * a node that is not connected is OFFLINE whatever it last applied; a connected node whose heartbeats
 * stopped is STALE (its socket may be half-dead, so what it reports cannot be trusted); one that
 * refused its newest push is NACKED; one running the newest revision is SYNCED, or CACHE_FAILED when it
 * serves it but said in its ack that it could not write it to its cache directory (read-only, full disk: a
 * restart without a control plane would serve an older config, or none); anything else is PENDING (a push
 * is on its way or being applied).
 */
public enum SyncState {
    SYNCED, PENDING, NACKED, STALE, OFFLINE, CACHE_FAILED
}
