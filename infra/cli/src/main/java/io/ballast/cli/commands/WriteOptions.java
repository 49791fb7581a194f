package io.ballast.cli.commands;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What a configuration write may say besides its body: why, on which revision, and whether to pass the safety rails. */
final class WriteOptions {
    @Option(names = {"-m", "--message"}, paramLabel = "TEXT", description = "Why: stored with the revision")
    String message;

    @Option(names = "--if-revision", paramLabel = "N",
            description = "Only if the live revision is still N (e.g. the one a reviewed diff was made against); refused otherwise")
    Long ifRevision;

    @Option(names = "--force", description = "Even if a pool would be left without an enabled backend")
    boolean force;

    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (message != null && !message.isBlank()) {
            headers.put("X-Ballast-Change-Message", message.strip());
        }
        if (ifRevision != null) {
            headers.put("If-Match", "\"" + ifRevision + "\"");
        }
        return headers;
    }
}
