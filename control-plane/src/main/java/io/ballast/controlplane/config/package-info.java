/**
 * Configuration use cases (create, replace, delete pools, backends and routes): they validate the
 * records, change the rows through {@link io.ballast.controlplane.revision.ConfigWriter} and answer
 * with records. Transport-neutral: the REST layer maps their exceptions to HTTP problems.
 */
package io.ballast.controlplane.config;
