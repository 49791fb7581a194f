package io.ballast.model.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ballast.model.Backend;
import io.ballast.model.Certificate;
import io.ballast.model.Pool;
import io.ballast.model.Route;
import io.ballast.model.json.BallastJson;
import io.ballast.model.tls.PemChain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What changed between two snapshots, per resource (pool, backend, route) with field-level
 * before/after values. Backends are resources of their own, named {@code pool/backend}, so a pool
 * counts as updated only when its own settings change. Certificates are compared by the SHA-256
 * fingerprint of their leaf (and whether they have a key), never by PEM text, and a diff holds no
 * key material. Used for revision diffs and dry runs.
 *
 * @param changes sorted by kind, then name
 */
public record SnapshotDiff(List<ResourceChange> changes) {

    public SnapshotDiff {
        changes = List.copyOf(changes);
    }

    /** created, updated or deleted. */
    public enum Kind { created, updated, deleted }

    /**
     * @param type   {@code pool}, {@code backend}, {@code route} or {@code certificate}
     * @param name   the resource's name ({@code pool/backend} for backends)
     * @param fields the fields whose values differ; for created/deleted every field
     */
    public record ResourceChange(String type, String name, Kind change, List<FieldChange> fields) {
    }

    /** One field: dotted path (e.g. {@code healthCheck.interval}) and its values, null when absent. */
    public record FieldChange(String field, JsonNode before, JsonNode after) {
    }

    /** Counts by change kind, for revision summaries. */
    public record Summary(int created, int updated, int deleted) {
    }

    public static SnapshotDiff between(ConfigSnapshot before, ConfigSnapshot after) {
        List<ResourceChange> out = new ArrayList<>();
        diff("pool", index(before.pools(), Pool::name), index(after.pools(), Pool::name), SnapshotDiff::poolSettings, out);
        diff("backend", backends(before), backends(after), BallastJson.canonical()::valueToTree, out);
        diff("route", index(before.routes(), Route::name), index(after.routes(), Route::name), BallastJson.canonical()::valueToTree, out);
        diff("certificate", index(before.certificates(), Certificate::name), index(after.certificates(), Certificate::name),
                SnapshotDiff::certificateIdentity, out);
        return new SnapshotDiff(out);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public Summary summary() {
        int created = 0;
        int updated = 0;
        int deleted = 0;
        for (ResourceChange c : changes) {
            switch (c.change()) {
                case created -> created++;
                case updated -> updated++;
                case deleted -> deleted++;
            }
        }
        return new Summary(created, updated, deleted);
    }

    private static JsonNode poolSettings(Object pool) {
        ObjectNode node = BallastJson.canonical().valueToTree(pool);
        node.remove("backends");
        return node;
    }

    /** What identifies a certificate in a diff: its leaf's fingerprint (the PEM text is not shown). */
    private static JsonNode certificateIdentity(Object certificate) {
        Certificate c = (Certificate) certificate;
        ObjectNode node = BallastJson.canonical().createObjectNode();
        String fingerprint = PemChain.leafFingerprintOrNull(c.certificate());
        node.put("fingerprintSha256", fingerprint == null ? "unparsable" : fingerprint);
        node.put("hasPrivateKey", c.hasPrivateKey());
        return node;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> name) {
        Map<String, T> map = new TreeMap<>();
        items.forEach(item -> map.put(name.apply(item), item));
        return map;
    }

    private static Map<String, Backend> backends(ConfigSnapshot snapshot) {
        Map<String, Backend> map = new TreeMap<>();
        snapshot.pools().forEach(p -> p.backends().forEach(b -> map.put(p.name() + "/" + b.name(), b)));
        return map;
    }

    private static <T> void diff(String type, Map<String, T> before, Map<String, T> after, Function<Object, JsonNode> tree,
                                 List<ResourceChange> out) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            T b = before.get(name);
            T a = after.get(name);
            JsonNode beforeTree = b == null ? NullNode.instance : tree.apply(b);
            JsonNode afterTree = a == null ? NullNode.instance : tree.apply(a);
            if (beforeTree.equals(afterTree)) {
                continue;
            }
            List<FieldChange> fields = new ArrayList<>();
            fieldChanges("", beforeTree, afterTree, fields);
            Kind kind = b == null ? Kind.created : a == null ? Kind.deleted : Kind.updated;
            out.add(new ResourceChange(type, name, kind, fields));
        }
    }

    /** Recurses into objects; arrays and scalars are compared whole. */
    private static void fieldChanges(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
        if (before.equals(after)) {
            return;
        }
        if ((before.isObject() || before.isNull()) && (after.isObject() || after.isNull()) && !(before.isNull() && after.isNull())) {
            TreeSet<String> keys = new TreeSet<>();
            before.fieldNames().forEachRemaining(keys::add);
            after.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                JsonNode b = before.path(key).isMissingNode() ? NullNode.instance : before.get(key);
                JsonNode a = after.path(key).isMissingNode() ? NullNode.instance : after.get(key);
                fieldChanges(path.isEmpty() ? key : path + "." + key, b, a, out);
            }
            return;
        }
        out.add(new FieldChange(path, before.isNull() ? null : before, after.isNull() ? null : after));
    }
}
