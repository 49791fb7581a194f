package io.ballast.controlplane.push;

import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sockets this control-plane instance holds, by connection and by node. Thread-safe. */
@ApplicationScoped
public class DataPlaneSessions {
    private final Map<String, DataPlaneSession> byConnection = new ConcurrentHashMap<>();
    private final SnapshotFrames frames;

    DataPlaneSessions(SnapshotFrames frames) {
        this.frames = frames;
    }

    DataPlaneSession open(WebSocketConnection connection) {
        return byConnection.computeIfAbsent(connection.id(), id -> new DataPlaneSession(connection, frames));
    }

    Optional<DataPlaneSession> get(WebSocketConnection connection) {
        return Optional.ofNullable(byConnection.get(connection.id()));
    }

    Optional<DataPlaneSession> close(WebSocketConnection connection) {
        return Optional.ofNullable(byConnection.remove(connection.id()));
    }

    /** Other open sessions that speak for {@code nodeId} (a reconnect that overtook the old socket's close). */
    List<DataPlaneSession> othersFor(String nodeId, DataPlaneSession self) {
        return byConnection.values().stream()
                .filter(s -> s != self && nodeId.equals(s.nodeId()))
                .toList();
    }

    /** Open sessions whose socket was authenticated with the token named {@code tokenName}. */
    List<DataPlaneSession> openedWith(String tokenName) {
        return byConnection.values().stream()
                .filter(s -> tokenName.equals(s.connection().userData().get(DataPlaneUpgradeCheck.TOKEN_NAME)))
                .toList();
    }

    /** Sessions that said hello: the ones that receive snapshots. */
    List<DataPlaneSession> identified() {
        return byConnection.values().stream().filter(s -> s.nodeId() != null).toList();
    }

    /** Number of nodes with an open, identified socket here. */
    public int connectedNodes() {
        return (int) byConnection.values().stream().map(DataPlaneSession::nodeId).filter(n -> n != null).distinct().count();
    }
}
