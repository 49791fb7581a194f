/**
 * Immutable configuration records shared by the control plane, the data plane and the declarative
 * file: pools, backends, routes and their settings. Every record fills its documented defaults in
 * its compact constructor, so a {@code null} field always means "use the default".
 */
package io.ballast.model;
