package io.ballast.controlplane.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/**
 * Which data-plane token owns which node id: the first token to say hello with a node id owns it
 * until that token is deleted. Claims are atomic (an insert that does nothing on conflict, then a
 * read), so two hellos racing for a new node id cannot both win. Blocking JDBC: worker threads only.
 * Thread-safe (stateless).
 */
@ApplicationScoped
public class NodeBindings {
    private final EntityManager em;

    NodeBindings(EntityManager em) {
        this.em = em;
    }

    /** The token that owns a node id, when it is not the one that asked. */
    public record Owner(long tokenId, String tokenName) {
    }

    /**
     * Binds {@code nodeId} to {@code tokenId} unless it is bound already.
     *
     * @return empty when the node id is (now) bound to {@code tokenId}; the other owner otherwise
     */
    @Transactional
    public Optional<Owner> claim(String nodeId, long tokenId) {
        em.createNativeQuery("INSERT INTO dataplane_binding (node_id, token_id) VALUES (?1, ?2) ON CONFLICT (node_id) DO NOTHING")
                .setParameter(1, nodeId).setParameter(2, tokenId).executeUpdate();
        List<?> rows = em.createNativeQuery("""
                        SELECT b.token_id, t.name FROM dataplane_binding b JOIN tokens t ON t.id = b.token_id
                        WHERE b.node_id = ?1""")
                .setParameter(1, nodeId).getResultList();
        if (rows.isEmpty()) {
            // The owner's token was deleted between the two statements: the next hello claims it afresh.
            return Optional.of(new Owner(-1, "(deleted)"));
        }
        Object[] row = (Object[]) rows.get(0);
        long owner = ((Number) row[0]).longValue();
        return owner == tokenId ? Optional.empty() : Optional.of(new Owner(owner, String.valueOf(row[1])));
    }
}
