package io.syncline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The routes of src/test/resources/mariadb-routes: the Quickstart's CRM webhook and inbox, with
 * the contacts applied to an ERP on MariaDB ({@link MariaDbTargetResource}) instead of billing.
 */
public class ErpOnMariaDbProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("syncline.routes.location", "src/test/resources/mariadb-routes");
    }
}
