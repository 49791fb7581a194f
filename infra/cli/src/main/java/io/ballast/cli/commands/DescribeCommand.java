package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.DiffRenderer;
import io.ballast.cli.render.Format;
import io.ballast.cli.render.Table;
import io.ballast.cli.render.Terminal;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ballast describe KIND NAME}: one resource with its health and its recent history. */
@Command(name = "describe", description = "Show one pool, backend, route, data plane or revision with its health and history.",
        subcommands = {DescribeCommand.PoolCmd.class, DescribeCommand.BackendCmd.class, DescribeCommand.RouteCmd.class,
                DescribeCommand.DataPlaneCmd.class, DescribeCommand.RevisionCmd.class})
public final class DescribeCommand extends Group {
    static final int RECENT_EVENTS = 10;
    static final Duration EVENT_WINDOW = Duration.ofHours(24);

    /** Fetches a document of named sections, then prints it as text or as JSON/YAML. */
    abstract static class Describe extends ApiCommand {
        @Mixin
        OutputOption output;

        Describe(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ObjectNode doc = fetch(api());
            if (output.format != Format.table) {
                out().print(Format.write(doc, output.format));
            } else {
                print(doc, terminal(), out());
            }
            return ExitCode.OK;
        }

        abstract ObjectNode fetch(ApiClient api);

        abstract void print(ObjectNode doc, Terminal t, PrintStream out);
    }

    /** The newest health transitions of a pool (or one backend of it) in the last day, oldest first. */
    static ArrayNode recentEvents(ApiClient api, String pool, String backend) {
        String since = Instant.now().minus(EVENT_WINDOW).toString();
        String path = "/health/events?limit=1000&since=" + since + "&pool=" + ApiClient.segment(pool)
                + (backend == null ? "" : "&backend=" + ApiClient.segment(backend));
        ArrayNode all = (ArrayNode) Lists.all(api, path, "after").path("items");
        ArrayNode recent = JsonNodeFactory.instance.arrayNode();
        for (int i = Math.max(0, all.size() - RECENT_EVENTS); i < all.size(); i++) {
            recent.add(all.get(i));
        }
        return recent;
    }

    static void events(ArrayNode events, Terminal t, PrintStream out) {
        out.println(t.bold("Recent health events") + " (last " + RECENT_EVENTS + " in " + EVENT_WINDOW.toHours() + "h)");
        if (events.isEmpty()) {
            out.println("  none");
            return;
        }
        Instant now = Instant.now();
        Table table = new Table("WHEN", "NODES", "BACKEND", "STATE", "REASON");
        for (JsonNode e : events) {
            // One row per transition, naming every data plane that reported it.
            List<String> nodes = new ArrayList<>();
            e.path("nodes").forEach(n -> nodes.add(n.path("nodeId").asText()));
            String state = e.hasNonNull("from") ? e.path("from").asText() + " → " + Rows.text(e, "state") : Rows.text(e, "state");
            table.row(Ages.ago(e.get("at"), now), String.join(", ", nodes), e.path("backend").asText(), state, Rows.text(e, "reason"));
        }
        out.print(indent(table.render(t, t.width() - 2)));
    }

    static String indent(String block) {
        return block.lines().map(l -> "  " + l).reduce((a, b) -> a + System.lineSeparator() + b).orElse("") + System.lineSeparator();
    }

    @Command(name = "pool", description = "A pool: settings, backends with their health, routes to it, recent health events.")
    static final class PoolCmd extends Describe {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        PoolCmd(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.set("pool", api.get("/pools/" + ApiClient.segment(name)).json());
            doc.set("health", api.get("/pools/" + ApiClient.segment(name) + "/health").json().path("items"));
            ArrayNode routes = doc.putArray("routes");
            for (JsonNode r : Lists.all(api, "/routes?limit=1000", "after").path("items")) {
                if (name.equals(r.path("pool").asText())) {
                    routes.add(r);
                }
            }
            doc.set("events", recentEvents(api, name, null));
            return doc;
        }

        @Override
        void print(ObjectNode doc, Terminal t, PrintStream out) {
            out.println(t.bold("Pool " + name));
            out.print(Fields.lines(doc.path("pool"), Set.of("name", "backends")));
            JsonNode backends = doc.path("pool").path("backends");
            out.println(t.bold("Backends") + " (" + backends.size() + ")");
            if (backends.isEmpty()) {
                out.println("  none");
            } else {
                Table table = new Table("NAME", "ADDRESS", "WEIGHT", "ADMIN", "HEALTH");
                for (JsonNode b : backends) {
                    String summary = "unknown";
                    for (JsonNode h : doc.path("health")) {
                        if (h.path("backend").asText().equals(b.path("name").asText())) {
                            summary = h.path("summary").asText();
                        }
                    }
                    table.row(b.path("name").asText(), Rows.address(b), Rows.text(b, "weight"), Rows.text(b, "adminState"), summary);
                }
                out.print(indent(table.render(t, t.width() - 2)));
            }
            out.println(t.bold("Routes to it"));
            if (doc.path("routes").isEmpty()) {
                out.println("  none");
            } else {
                Table table = new Table("NAME", "HOSTS", "PATH", "PRIORITY");
                for (JsonNode r : doc.path("routes")) {
                    table.row(r.path("name").asText(), Rows.join(r.path("hosts")), Rows.text(r, "pathPrefix"), Rows.text(r, "priority"));
                }
                out.print(indent(table.render(t, t.width() - 2)));
            }
            events((ArrayNode) doc.path("events"), t, out);
        }
    }

    @Command(name = "backend", description = "A backend: settings, what each data plane reports, recent health events.")
    static final class BackendCmd extends Describe {
        @Parameters(index = "0", paramLabel = "POOL")
        String pool;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        BackendCmd(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            JsonNode backend = api.get("/pools/" + ApiClient.segment(pool) + "/backends/" + ApiClient.segment(name)).json();
            doc.set("backend", backend);
            String backendName = backend.path("name").asText(name);
            for (JsonNode h : api.get("/pools/" + ApiClient.segment(pool) + "/health").json().path("items")) {
                if (h.path("backend").asText().equals(backendName)) {
                    doc.set("health", h);
                }
            }
            doc.set("events", recentEvents(api, pool, backendName));
            return doc;
        }

        @Override
        void print(ObjectNode doc, Terminal t, PrintStream out) {
            out.println(t.bold("Backend " + pool + "/" + doc.path("backend").path("name").asText(name)));
            out.print(Fields.lines(doc.path("backend"), Set.of("name")));
            JsonNode health = doc.path("health");
            out.println(t.bold("Health") + ": " + health.path("summary").asText("not reported"));
            if (!health.path("nodes").isEmpty()) {
                Instant now = Instant.now();
                Table table = new Table("NODE", "STATE", "REASON", "SINCE", "IN FLIGHT");
                for (JsonNode n : health.path("nodes")) {
                    table.row(n.path("nodeId").asText(), Rows.text(n, "state"), Rows.text(n, "reason"), Ages.ago(n.get("at"), now),
                            Rows.text(n, "inFlight"));
                }
                out.print(indent(table.render(t, t.width() - 2)));
            }
            events((ArrayNode) doc.path("events"), t, out);
        }
    }

    @Command(name = "route", description = "A route's settings.")
    static final class RouteCmd extends Describe {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        RouteCmd(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.set("route", api.get("/routes/" + ApiClient.segment(name)).json());
            return doc;
        }

        @Override
        void print(ObjectNode doc, Terminal t, PrintStream out) {
            out.println(t.bold("Route " + name));
            out.print(Fields.lines(doc.path("route"), Set.of("name")));
        }
    }

    @Command(name = "dataplane", description = "A data plane: identity, connection, applied revision, last refusal.")
    static final class DataPlaneCmd extends Describe {
        @Parameters(index = "0", paramLabel = "NODE")
        String node;

        DataPlaneCmd(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.set("dataplane", api.get("/dataplanes/" + ApiClient.segment(node)).json());
            return doc;
        }

        @Override
        void print(ObjectNode doc, Terminal t, PrintStream out) {
            out.println(t.bold("Data plane " + node));
            out.print(Fields.lines(doc.path("dataplane"), Set.of("nodeId", "lastNack")));
            JsonNode nack = doc.path("dataplane").path("lastNack");
            if (nack.isObject()) {
                out.println(t.red("Refused revision " + nack.path("revision").asText()) + " " + Ages.ago(nack.get("at"), Instant.now()) + ":");
                for (JsonNode e : nack.path("errors")) {
                    out.println("  - " + e.path("field").asText() + ": " + e.path("message").asText());
                }
            }
        }
    }

    @Command(name = "revision", description = "A revision: who, when, why, how it reached each data plane, and its diff.")
    static final class RevisionCmd extends Describe {
        @Parameters(index = "0", paramLabel = "N")
        long number;

        RevisionCmd(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            ObjectNode revision = (ObjectNode) api.get("/revisions/" + number).json();
            revision.remove("snapshot");
            doc.set("revision", revision);
            doc.set("diff", api.get("/revisions/" + number + "/diff").json());
            return doc;
        }

        @Override
        void print(ObjectNode doc, Terminal t, PrintStream out) {
            JsonNode r = doc.path("revision");
            out.println(t.bold("Revision " + number));
            out.print(Fields.lines(r, Set.of("number", "propagation")));
            out.println(t.bold("Propagation"));
            if (r.path("propagation").isEmpty()) {
                out.println("  no data plane answered or is connected");
            } else {
                Table table = new Table("NODE", "STATUS", "LATENCY", "ERRORS");
                for (JsonNode p : r.path("propagation")) {
                    table.row(p.path("nodeId").asText(), Rows.text(p, "status"),
                            p.path("latencyMs").isNumber() ? p.path("latencyMs").asText() + " ms" : "-", p.path("errors").size());
                }
                out.print(indent(table.render(t, t.width() - 2)));
            }
            JsonNode diff = doc.path("diff");
            out.println(t.bold("Changes") + " (against revision " + diff.path("from").asText() + ")");
            out.print(indent(new DiffRenderer(t).render(diff.path("changes"), "revision " + diff.path("from").asText(),
                    "revision " + number)));
        }
    }
}
