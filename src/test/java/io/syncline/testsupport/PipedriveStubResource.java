package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the REST polling flow: a {@link PipedriveStub}, the routes of
 * {@code src/test/resources/rest-polling-routes} with the stub's address written over
 * {@value #PLACEHOLDER}, and a PostgreSQL database of its own ({@link #DATABASE_URL}), so that no
 * other routes claim its inbox's events; or the routes folder and database its init args name.
 * The stub is injected into test fields of its type; it accepts the API token {@value #TOKEN}
 * that the model reads from {@code PIPEDRIVE_TOKEN}, and webhooks carry {@value #WEBHOOK_CREDENTIALS}
 * ({@code PIPEDRIVE_WEBHOOK_CREDENTIALS}).
 */
public class PipedriveStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "pd-stub-api-token-0000";
    static final String PLACEHOLDER = "http://pipedrive.stub.invalid";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_rest_polling");
    public static final String WEBHOOK_CREDENTIALS = "syncline:pd-webhook-password";
    /** Init args: another routes folder to copy, and another database (its name's suffix). */
    public static final String ROUTES = "routes";
    public static final String DATABASE = "database";

    private Path template = Path.of("src/test/resources/rest-polling-routes");
    private String databaseUrl = DATABASE_URL;
    private PipedriveStub stub;
    private Path routes;

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey(ROUTES)) {
            template = Path.of(initArgs.get(ROUTES));
        }
        if (initArgs.containsKey(DATABASE)) {
            databaseUrl = TestDatabase.siblingUrl(initArgs.get(DATABASE));
        }
    }

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(databaseUrl, true);
        stub = PipedriveStub.start(TOKEN);
        routes = RouteFolders.copyWithAddress(template, PLACEHOLDER, stub.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(), "PIPEDRIVE_TOKEN", TOKEN,
                "PIPEDRIVE_WEBHOOK_CREDENTIALS", WEBHOOK_CREDENTIALS,
                "syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "2s",
                "quarkus.datasource.jdbc.url", databaseUrl,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(PipedriveStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
