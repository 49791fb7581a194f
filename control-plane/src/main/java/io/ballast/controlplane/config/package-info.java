/**
 * Configuration use cases: create, replace, patch and delete pools, backends and routes (with
 * If-Match on their versions), and the declarative export / validate / dry run / apply of the whole
 * configuration. They validate records, change rows through
 * {@link io.ballast.controlplane.revision.ConfigWriter} and answer with records. Transport-neutral:
 * the REST layer maps their exceptions to HTTP problems.
 */
package io.ballast.controlplane.config;
