package io.syncline.connector.jdbc;

import io.syncline.connector.spi.SettingsRules;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;

import java.util.Set;

/** What a JDBC system needs to be usable, and what its mappings, polls and pulls need; each gap one problem with its fix. */
final class JdbcRules extends SettingsRules<JdbcSettings> {

    static final JdbcRules RULES = new JdbcRules();

    private JdbcRules() {
        super(JdbcSettings.class);
    }

    @Override
    public Set<String> mappingKeys() {
        return Set.of("table");
    }

    @Override
    public void validateMapping(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        JdbcMappingRules.check(path, entity, mapping, problems);
    }

    @Override
    public String table(SystemMapping mapping) {
        return JdbcMappingSettings.of(mapping).table();
    }

    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        return named(at, table(mapping), "the JDBC mapping of '" + system + "' names no table to pull",
                "add table: to its mapping", problems);
    }

    @Override
    public boolean checksums() {
        return true;
    }

    @Override
    protected void check(String path, JdbcSettings jdbc, Environment environment, ProblemReporter problems) {
        if ((jdbc.datasource() == null) == (jdbc.url() == null)) {
            problems.report(path, "a JDBC system needs exactly one of datasource or url",
                    "write datasource: <name of a quarkus.datasource> or url: jdbc:… with username/password from {env: …}");
        }
        if (jdbc.datasource() != null && (jdbc.username() != null || jdbc.password() != null)) {
            problems.report(path, "username and password belong to the url form; a Quarkus datasource has its own",
                    "remove them, and set quarkus.datasource." + jdbc.datasource() + ".username/password instead");
        }
        if (jdbc.url() != null) {
            checkJdbcUrl(path, jdbc, environment, problems);
        }
    }

    private static void checkJdbcUrl(String path, JdbcSettings jdbc, Environment environment, ProblemReporter problems) {
        String url = jdbc.url().literalOrResolve(environment);
        if (url == null) {
            problems.report(path + ".url", "environment variable " + jdbc.url().env() + " is not set",
                    "set " + jdbc.url().env() + " to the JDBC URL, e.g. jdbc:mariadb://erp-db:3306/erp");
        } else if (JdbcUrls.driverOf(url).isEmpty()) {
            problems.report(path + ".url", JdbcUrls.prefix(url) + " is not the URL of a supported database", JdbcUrls.fix(url));
        }
        if (jdbc.username() == null) {
            problems.report(path, "a JDBC url needs the database user", "add username: {env: …} (password: {env: …} too, unless the account has none)");
        }
    }
}
