package io.ballast.controlplane.rollout;

import static io.ballast.controlplane.Api.admin;
import static io.ballast.controlplane.Api.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.ballast.controlplane.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What {@code ?rollout=canary} and {@code /api/v1/rollouts} refuse, before anything is written. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RolloutApiTest {

    @Test
    void badRolloutParametersAre400AndWriteNothing() {
        String pool = unique("never");
        for (String query : new String[] {"rollout=blue", "rollout=canary&cohort=nope", "rollout=canary&cohort=percent:0",
                "rollout=canary&bakeTime=0s", "rollout=canary&bakeTime=25h", "cohort=a=b", "bakeTime=10s"}) {
            admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?" + query).then().statusCode(400)
                    .body("errors.field", hasItem(query.contains("bakeTime") ? "bakeTime" : query.contains("cohort") ? "cohort" : "rollout"));
        }
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
    }

    @Test
    void aCanaryWithoutACohortAnywhereIs422() {
        String pool = unique("nocohort");
        admin().body("{\"name\":\"" + pool + "\"}").post("/api/v1/pools?rollout=canary").then().statusCode(422)
                .body("errors[0].field", equalTo("cohort"));
        admin().get("/api/v1/pools/" + pool).then().statusCode(404);
    }

    @Test
    void thePolicyHasDefaultsAndRefusesNonsense() {
        admin().get("/api/v1/rollouts/policy").then().statusCode(200)
                .body("bakeTime", equalTo("1m"))
                .body("abortOn.nack", equalTo(true))
                .body("abortOn.errorRateIncrease", equalTo(1.0f))
                .body("abortOn.p99Increase", equalTo(50.0f))
                .body("autoPromote", equalTo(true));
        admin().body("{\"bakeTime\":\"forever\"}").put("/api/v1/rollouts/policy").then().statusCode(422).body("errors[0].field", equalTo("bakeTime"));
        admin().body("{\"abortOn\":{\"errorRateIncrease\":-1}}").put("/api/v1/rollouts/policy").then().statusCode(422)
                .body("errors[0].field", equalTo("abortOn.errorRateIncrease"));
        admin().body("{\"cohort\":\"x\"}").put("/api/v1/rollouts/policy").then().statusCode(422).body("errors[0].field", equalTo("cohort"));
        admin().body("{\"surprise\":1}").put("/api/v1/rollouts/policy").then().statusCode(400);
    }

    @Test
    void unknownRolloutsAre404AndBadIds400() {
        admin().get("/api/v1/rollouts/999999").then().statusCode(404);
        admin().post("/api/v1/rollouts/999999/abort").then().statusCode(404);
        admin().get("/api/v1/rollouts/abc").then().statusCode(400).body("errors[0].field", equalTo("id"));
        admin().get("/api/v1/rollouts?before=-3").then().statusCode(400);
        admin().get("/api/v1/rollouts").then().statusCode(200);
    }
}
