package io.syncline.connector.jdbc;

import io.syncline.model.ChangeFilter;
import io.syncline.model.Environment;
import io.syncline.model.ProblemReporter;
import io.syncline.model.SecretRef;
import io.syncline.model.SystemDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.model.SystemTypeRules;

import java.util.Map;
import java.util.Set;

/** What a JDBC system needs to be usable, and what its mappings, polls and pulls need; each gap one problem with its fix. */
final class JdbcRules implements SystemTypeRules {

    static final JdbcRules RULES = new JdbcRules();

    private JdbcRules() {
    }

    @Override
    public void validate(String path, SystemDefinition system, Environment environment, ProblemReporter problems) {
        checkJdbc(path, system.settings(JdbcSettings.class, path, problems), environment, problems);
    }

    @Override
    public Map<String, SecretRef> secrets(SystemDefinition system) {
        return JdbcSettings.of(system).secrets();
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
    public void validatePoll(String path, String system, ChangeFilter changes, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        SystemTypeRules.refuseChanges(path, system, changes, definition, problems);
    }

    @Override
    public boolean validatePull(String at, String system, SystemMapping mapping, SystemDefinition definition,
            ProblemReporter problems) {
        if (JdbcMappingSettings.of(mapping).table() == null) {
            problems.report(at, "the JDBC mapping of '" + system + "' names no table to pull", "add table: to its mapping");
            return false;
        }
        return true;
    }

    @Override
    public boolean checksums() {
        return true;
    }

    private static void checkJdbc(String path, JdbcSettings jdbc, Environment environment, ProblemReporter problems) {
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
