package io.ballast.controlplane.push;

import io.ballast.controlplane.security.BearerTokens;
import io.ballast.controlplane.security.Caller;
import io.ballast.controlplane.security.Role;
import io.ballast.controlplane.security.TokenService;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refuses the WebSocket upgrade (HTTP 401/403, before any frame) unless the request carries a bearer
 * token of role {@code dataplane}. Token checks use JDBC, so they run on a worker thread and the
 * result is handed back to the event loop.
 */
@ApplicationScoped
public class DataPlaneUpgradeCheck implements HttpUpgradeCheck {
    static final UserData.TypedKey<String> TOKEN_NAME = new UserData.TypedKey<>("ballast.token-name");
    /** The token's row id: node ids are bound to it (a token re-created under the same name is another token). */
    static final UserData.TypedKey<Long> TOKEN_ID = new UserData.TypedKey<>("ballast.token-id");
    private static final Logger LOG = Logger.getLogger(DataPlaneUpgradeCheck.class);
    private static final Map<String, List<String>> CHALLENGE = Map.of("WWW-Authenticate", List.of("Bearer realm=\"ballast\""));

    private final TokenService tokens;
    private final Vertx vertx;

    DataPlaneUpgradeCheck(TokenService tokens, Vertx vertx) {
        this.tokens = tokens;
        this.vertx = vertx;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        Optional<String> token = BearerTokens.fromHeader(context.httpRequest().getHeader("Authorization"));
        if (token.isEmpty()) {
            LOG.infof("Refused a data-plane connection from %s: no bearer token", context.httpRequest().remoteAddress());
            return CheckResult.rejectUpgrade(401, CHALLENGE);
        }
        return Uni.createFrom()
                .completionStage(() -> vertx.<Optional<Caller>>executeBlocking(() -> tokens.authenticate(token.get()), false)
                        .toCompletionStage())
                .map(caller -> decide(caller, context));
    }

    private static CheckResult decide(Optional<Caller> caller, HttpUpgradeContext context) {
        if (caller.isEmpty()) {
            LOG.infof("Refused a data-plane connection from %s: invalid token", context.httpRequest().remoteAddress());
            return CheckResult.rejectUpgradeSync(401, CHALLENGE);
        }
        if (caller.get().role() != Role.DATAPLANE) {
            LOG.infof("Refused a data-plane connection with token '%s': role %s is not dataplane",
                    caller.get().name(), caller.get().role().wireName());
            return CheckResult.rejectUpgradeSync(403);
        }
        context.userData().put(TOKEN_NAME, caller.get().name());
        context.userData().put(TOKEN_ID, caller.get().tokenId());
        return CheckResult.permitUpgradeSync();
    }
}
