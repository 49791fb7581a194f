/**
 * Which data planes actively probe which backend ({@code healthCheck.probers}): a pure function of the connected
 * node ids, shared by the control plane (which assigns) and tests and benchmarks (which check the spread).
 */
package io.ballast.model.probe;
