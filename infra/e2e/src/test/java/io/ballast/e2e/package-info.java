/**
 * End-to-end tests: the packaged control plane (on its embedded PostgreSQL) and data-plane jars run
 * as real processes against real HTTP backends; the tests talk to them only over their public
 * interfaces (REST API, proxy port, admin endpoints).
 */
package io.ballast.e2e;
