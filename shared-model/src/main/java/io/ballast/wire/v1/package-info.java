/**
 * Wire protocol v1 between data planes and control planes: JSON text frames over one WebSocket,
 * each with a {@code type}. A breaking change goes to {@code io.ballast.wire.v2} beside this package;
 * additive changes (new fields, new message types) stay here, and peers ignore what they do not know.
 */
package io.ballast.wire.v1;
