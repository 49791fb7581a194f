/**
 * Whether the data plane may connect to an address: the shared {@link io.ballast.model.validation.AddressPolicy}
 * applied to what a backend's host name resolves to at connect time, so that DNS (and DNS rebinding) cannot
 * lead a health check or a proxied request into cloud-metadata or forbidden private space.
 */
package io.ballast.dataplane.address;
