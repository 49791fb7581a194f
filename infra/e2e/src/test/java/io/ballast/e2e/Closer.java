package io.ballast.e2e;

import java.util.ArrayList;
import java.util.List;

/** What a test started (processes, servers, databases), closed in reverse order when the test ends. */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    <T extends AutoCloseable> T later(T resource) {
        resources.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
    }
}
