/**
 * Start-up settings of a data plane, read from environment variables and command-line flags.
 */
package io.ballast.dataplane.settings;
