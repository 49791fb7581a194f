package io.ballast.cli.commands;

import picocli.CommandLine.Option;

/** {@code --rollout canary [--cohort SELECTOR] [--bake-time DURATION]} on a write. */
final class RolloutOptions {
    @Option(names = "--rollout", paramLabel = "canary",
            description = "canary: the new revision goes to a cohort of data planes first and is promoted or aborted by its gates")
    String rollout;

    @Option(names = "--cohort", paramLabel = "SELECTOR", description = "With --rollout canary: k=v[,k=v] or percent:N [the rollout policy's]")
    String cohort;

    @Option(names = "--bake-time", paramLabel = "DURATION", description = "With --rollout canary: e.g. 90s [the rollout policy's]")
    String bakeTime;

    /** The query parameters, starting with {@code &}; empty without --rollout. */
    String query() {
        if (rollout == null) {
            return "";
        }
        StringBuilder q = new StringBuilder("&rollout=").append(io.ballast.cli.api.ApiClient.segment(rollout));
        if (cohort != null) {
            q.append("&cohort=").append(io.ballast.cli.api.ApiClient.segment(cohort));
        }
        if (bakeTime != null) {
            q.append("&bakeTime=").append(io.ballast.cli.api.ApiClient.segment(bakeTime));
        }
        return q.toString();
    }
}
