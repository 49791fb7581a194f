/** The control plane's own TLS: the certificate its HTTPS port (REST API, console, {@code wss://} for data planes) serves. */
package io.ballast.controlplane.tls;
