package io.ballast.controlplane;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** REST Assured requests with a bearer token, and unique names so tests do not depend on each other. */
public final class Api {
    private Api() {
    }

    public static RequestSpecification as(String token) {
        return RestAssured.given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as(EmbeddedPostgresResource.ADMIN_TOKEN);
    }

    /** A slug no other test uses, e.g. {@code web-3f2a9c1b}. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
