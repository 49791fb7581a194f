/**
 * The configuration snapshot: everything a data plane needs, checked for internal consistency
 * (every reference resolves, names are unique) and identified by the SHA-256 of its canonical JSON.
 */
package io.ballast.model.snapshot;
