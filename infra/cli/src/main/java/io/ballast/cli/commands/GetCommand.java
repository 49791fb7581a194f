package io.ballast.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.cli.ExitCode;
import io.ballast.cli.OutputOption;
import io.ballast.cli.Session;
import io.ballast.cli.api.ApiClient;
import io.ballast.cli.render.Format;
import io.ballast.cli.render.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ballast get KIND}: lists, as a table or as the API's JSON/YAML. */
@Command(name = "get", description = "List pools, backends, routes, data planes, revisions or backend health.",
        subcommands = {GetCommand.Pools.class, GetCommand.Backends.class, GetCommand.Routes.class,
                GetCommand.DataPlanes.class, GetCommand.Revisions.class, GetCommand.Health.class})
public final class GetCommand extends Group {

    /** A list command: fetch, then print as -o says. */
    abstract static class ListCommand extends ApiCommand {
        @Mixin
        OutputOption output;

        ListCommand(Session session) {
            super(session);
        }

        @Override
        public Integer call() {
            ApiClient api = api();
            ObjectNode list = fetch(api);
            if (output.format != Format.table) {
                out().print(Format.write(list, output.format));
                return ExitCode.OK;
            }
            Table table = table(list, api);
            if (table.isEmpty()) {
                terminal().err().println(empty());
            } else {
                out().print(table.render(terminal()));
            }
            return ExitCode.OK;
        }

        abstract ObjectNode fetch(ApiClient api);

        abstract Table table(ObjectNode list, ApiClient api);

        abstract String empty();
    }

    @Command(name = "pools", description = "List pools.")
    static final class Pools extends ListCommand {
        Pools(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            return Lists.all(api, "/pools?limit=1000", "after");
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Table t = new Table("NAME", "ALGORITHM", "BACKENDS", "HEALTH CHECK", "DESCRIPTION");
            for (JsonNode p : list.path("items")) {
                t.row(p.path("name").asText(), Rows.text(p, "algorithm"), Rows.backendCount(p), Rows.healthCheck(p),
                        Rows.text(p, "description"));
            }
            return t;
        }

        @Override
        String empty() {
            return "No pools.";
        }
    }

    @Command(name = "backends", description = "List the backends of a pool, with their health across the fleet.")
    static final class Backends extends ListCommand {
        @Parameters(index = "0", paramLabel = "POOL", description = "The pool")
        String pool;

        Backends(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            return Lists.all(api, "/pools/" + ApiClient.segment(pool) + "/backends?limit=1000", "after");
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Map<String, JsonNode> health = new HashMap<>();
            for (JsonNode h : api.get("/pools/" + ApiClient.segment(pool) + "/health").json().path("items")) {
                health.put(h.path("backend").asText(), h);
            }
            Table t = new Table("NAME", "ADDRESS", "WEIGHT", "ADMIN", "HEALTH");
            for (JsonNode b : list.path("items")) {
                JsonNode h = health.get(b.path("name").asText());
                t.row(b.path("name").asText(), Rows.address(b), Rows.text(b, "weight"), Rows.text(b, "adminState"),
                        h == null ? "unknown" : h.path("summary").asText());
            }
            return t;
        }

        @Override
        String empty() {
            return "No backends in pool " + pool + ".";
        }
    }

    @Command(name = "routes", description = "List routes.")
    static final class Routes extends ListCommand {
        Routes(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            return Lists.all(api, "/routes?limit=1000", "after");
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Table t = new Table("NAME", "HOSTS", "PATH", "PRIORITY", "POOL");
            for (JsonNode r : list.path("items")) {
                t.row(r.path("name").asText(), Rows.join(r.path("hosts")), Rows.text(r, "pathPrefix"), Rows.text(r, "priority"),
                        Rows.text(r, "pool"));
            }
            return t;
        }

        @Override
        String empty() {
            return "No routes.";
        }
    }

    @Command(name = "dataplanes", aliases = "dataplane", description = "List data planes: sync state, applied/newest revision, version.")
    static final class DataPlanes extends ListCommand {
        DataPlanes(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            return Lists.all(api, "/dataplanes", "after");
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Instant now = Instant.now();
            Table t = new Table("NODE", "STATE", "REVISION", "VERSION", "LAST SEEN", "LABELS");
            for (JsonNode d : list.path("items")) {
                t.row(d.path("nodeId").asText(), Rows.text(d, "syncState"), Rows.revisionOf(d), Rows.text(d, "version"),
                        Ages.ago(d.get("lastSeen"), now), Rows.labels(d.get("labels")));
            }
            return t;
        }

        @Override
        String empty() {
            return "No data planes have connected.";
        }
    }

    @Command(name = "revisions", description = "List revisions, newest first.")
    static final class Revisions extends ListCommand {
        @Option(names = "--limit", defaultValue = "20", description = "How many [${DEFAULT-VALUE}]")
        int limit;

        Revisions(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode page = (ObjectNode) api.get("/revisions?limit=" + Math.max(1, Math.min(limit, 1000))).json();
            page.remove("next");
            return page;
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Instant now = Instant.now();
            Table t = new Table("REVISION", "AGE", "AUTHOR", "CHANGES", "MESSAGE");
            for (JsonNode r : list.path("items")) {
                t.row(r.path("number").asText(), Ages.ago(r.get("createdAt"), now), Rows.text(r, "author"),
                        Rows.summary(r.path("summary")), Rows.text(r, "message"));
            }
            return t;
        }

        @Override
        String empty() {
            return "No revisions.";
        }
    }

    @Command(name = "health", description = "Every backend's health across the fleet (or one pool's).")
    static final class Health extends ListCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "POOL", description = "Only this pool")
        String pool;

        Health(Session session) {
            super(session);
        }

        @Override
        ObjectNode fetch(ApiClient api) {
            ObjectNode page = (ObjectNode) api.get(pool == null ? "/health" : "/pools/" + ApiClient.segment(pool) + "/health").json();
            page.remove("next");
            return page;
        }

        @Override
        Table table(ObjectNode list, ApiClient api) {
            Table t = new Table("POOL", "BACKEND", "ADMIN", "STATE", "IN FLIGHT", "SUMMARY");
            for (JsonNode h : list.path("items")) {
                t.row(h.path("pool").asText(), h.path("backend").asText(), Rows.text(h, "adminState"), Rows.text(h, "state"),
                        Rows.text(h, "inFlight"), Rows.text(h, "summary"));
            }
            return t;
        }

        @Override
        String empty() {
            return "No backends.";
        }
    }
}
