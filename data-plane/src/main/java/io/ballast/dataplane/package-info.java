/**
 * The data plane: the proxy that carries live traffic, started by {@link io.ballast.dataplane.DataPlaneMain}
 * and wired together by {@link io.ballast.dataplane.DataPlane}.
 */
package io.ballast.dataplane;
