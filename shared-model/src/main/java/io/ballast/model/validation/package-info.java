/**
 * Validation of single resources and of whole snapshots, shared by the control plane (which
 * refuses bad writes) and the data plane (which nacks bad snapshots). Violations name the offending
 * field by its path, e.g. {@code pools[2].backends[0].port}.
 */
package io.ballast.model.validation;
