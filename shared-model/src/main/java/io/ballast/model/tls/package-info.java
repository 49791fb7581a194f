/**
 * TLS material shared by both planes without a crypto library: reading PEM certificate chains,
 * fingerprints and SAN names with the JDK.
 */
package io.ballast.model.tls;
