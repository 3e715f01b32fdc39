package io.syncline.testsupport;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** Links made through the admin API's ID map import ({@code POST /admin/id-map/import}), as an integrator would. */
public final class IdMapLinks {

    private IdMapLinks() {
    }

    /** Links each record of {@code entity} (its canonical id, a key of {@code ids}) to its id in each system. */
    public static void link(String entity, Map<String, Map<String, String>> ids) {
        StringBuilder csv = new StringBuilder("entity,canonical_id,system,system_id\n");
        ids.forEach((canonicalId, systems) -> systems.forEach((system, id) -> csv.append(String.join(",", List.of(entity,
                canonicalId, system, id))).append('\n')));
        given().auth().preemptive().basic("admin", "test-only-password").contentType("text/csv; charset=utf-8").body(csv.toString())
                .when().post("/admin/id-map/import?dryRun=false").then().statusCode(200);
    }
}
