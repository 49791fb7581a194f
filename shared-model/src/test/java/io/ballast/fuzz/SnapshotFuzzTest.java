package io.ballast.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ballast.model.json.BallastJson;
import io.ballast.model.snapshot.ConfigSnapshot;
import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.model.validation.AddressPolicy;
import io.ballast.model.validation.ModelValidator;
import io.ballast.model.validation.Violation;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Property fuzzing of the declarative-file parser (the strict JSON and YAML readers of {@code PUT /config})
 * and of the snapshot validator (issue 15): a file is either read or refused with a parse exception the API
 * turns into a 400 (Jackson's, or SnakeYAML's for its limits); whatever is read, the validator answers with
 * violations and never throws; and a snapshot it accepts has a canonical form that reads back to the same hash.
 */
class SnapshotFuzzTest {
    private static final List<String> VALID = List.of(
            "{\"pools\":[{\"name\":\"web\",\"algorithm\":\"least-requests\",\"healthCheck\":{\"path\":\"/healthz\",\"interval\":\"2s\"},"
                    + "\"backends\":[{\"host\":\"10.0.0.11\",\"port\":8080},{\"host\":\"10.0.0.12\",\"port\":8080,\"weight\":50}]}],"
                    + "\"routes\":[{\"name\":\"site\",\"hosts\":[\"shop.example.com\"],\"pathPrefix\":\"/\",\"pool\":\"web\"}]}",
            "pools:\n  - name: web\n    algorithm: least-requests\n    healthCheck: { path: /healthz, interval: 2s }\n    backends:\n"
                    + "      - { host: 10.0.0.11, port: 8080 }\n      - { host: 10.0.0.12, port: 8080, weight: 50 }\n"
                    + "routes:\n  - { name: site, hosts: [\"shop.example.com\"], pathPrefix: /, pool: web }\n");
    private static final SnapshotValidator STRICT_POLICY = new SnapshotValidator(new ModelValidator(new AddressPolicy(false)));

    /** The declarative-file property, for either syntax. */
    static void checkFile(String text) {
        boolean yaml = !text.stripLeading().startsWith("{");
        ObjectMapper mapper = yaml ? BallastJson.yaml() : BallastJson.strict();
        ConfigSnapshot file;
        try {
            file = mapper.readerFor(ConfigSnapshot.class)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(text);
        } catch (JacksonException refused) {
            return;
        } catch (YAMLException refusedByYaml) {
            if (!yaml) {
                throw refusedByYaml;
            }
            return;
        }
        if (file != null) {
            checkSnapshot(file);
        }
    }

    /** The validator property. */
    static void checkSnapshot(ConfigSnapshot snapshot) {
        List<Violation> violations = SnapshotValidator.withDefaults().validate(snapshot);
        assertThat(violations).isNotNull().doesNotContainNull();
        assertThat(STRICT_POLICY.validate(snapshot)).isNotNull();
        if (violations.isEmpty()) {
            String canonical = snapshot.canonicalJson();
            assertThat(ConfigSnapshot.fromJson(canonical).hash()).isEqualTo(snapshot.hash());
        }
    }

    @Property(tries = 1500)
    void structuredJsonFilesAreReadOrRefusedAndNeverBreakTheValidator(@ForAll("jsonFiles") String file) {
        checkFile(file);
    }

    @Property(tries = 1500)
    void mutatedFilesInBothSyntaxesAreReadOrRefused(@ForAll("mutations") String file) {
        checkFile(file);
    }

    @Property(tries = 1000)
    void snapshotsReadLeniently(@ForAll("jsonFiles") String file) {
        // The data plane reads pushed snapshots with the lenient wire mapper: what it reads must validate safely too.
        ConfigSnapshot snapshot;
        try {
            snapshot = BallastJson.lenient().readValue(file, ConfigSnapshot.class);
        } catch (JacksonException refused) {
            return;
        }
        if (snapshot != null) {
            checkSnapshot(snapshot);
        }
    }

    @Test
    void everyInputOfTheRegressionCorporaStillHolds() {
        List<String> declarative = FuzzInputs.corpus("declarative");
        List<String> snapshots = FuzzInputs.corpus("snapshot");
        assertThat(declarative).isNotEmpty();
        assertThat(snapshots).isNotEmpty();
        declarative.forEach(SnapshotFuzzTest::checkFile);
        VALID.forEach(SnapshotFuzzTest::checkFile);
        for (String s : snapshots) {
            try {
                checkSnapshot(BallastJson.lenient().readValue(s, ConfigSnapshot.class));
            } catch (JacksonException refused) {
                // refused at parse time: fine
            }
        }
    }

    @Provide
    Arbitrary<String> jsonFiles() {
        return net.jqwik.api.Combinators.combine(
                net.jqwik.api.Arbitraries.oneOf(FuzzInputs.object(2).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                        FuzzInputs.value(2)),
                net.jqwik.api.Arbitraries.oneOf(FuzzInputs.object(2).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]"),
                        FuzzInputs.value(2)))
                .as((pools, routes) -> "{\"pools\":" + pools + ",\"routes\":" + routes + "}");
    }

    @Provide
    Arbitrary<String> mutations() {
        return FuzzInputs.mutated(VALID);
    }
}
