/**
 * Load-balancing algorithms: one interface, one package-private final class per algorithm, created by
 * static factories. Balancers never probe; they choose among the candidates they are given.
 */
package io.ballast.dataplane.lb;
