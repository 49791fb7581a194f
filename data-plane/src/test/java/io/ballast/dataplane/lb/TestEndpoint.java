package io.ballast.dataplane.lb;

/** A candidate with a settable load, for balancer tests. Not thread-safe. */
final class TestEndpoint implements Endpoint {
    private final String name;
    private final int weight;
    private int inFlight;

    TestEndpoint(String name, int weight) {
        this.name = name;
        this.weight = weight;
    }

    static TestEndpoint of(String name) {
        return new TestEndpoint(name, 100);
    }

    TestEndpoint load(int n) {
        inFlight = n;
        return this;
    }

    String name() {
        return name;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public String affinityId() {
        return Hashing.opaqueId("pool/" + name);
    }

    @Override
    public String toString() {
        return name;
    }
}
