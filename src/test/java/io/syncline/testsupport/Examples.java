package io.syncline.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The folders of {@code examples/} as their scenario tests run them: the models name the providers'
 * real addresses, so a test runs a copy with its stand-ins' addresses written over them, on a
 * PostgreSQL state store of the example's own (an application with other routes must not share
 * its inbox).
 */
public final class Examples {

    private Examples() {
    }

    /** A fresh temporary copy of {@code examples/<example>} with each stand-in's address written over the real one. */
    public static Path copy(String example, Map<String, String> addresses) {
        return RouteFolders.copyWithAddresses(Path.of("examples", example), addresses);
    }

    /** The URL of the example's own state store. */
    public static String databaseOf(String example) {
        return TestDatabase.siblingUrl("_example_" + example.replace('-', '_'));
    }

    /** The example's state store made afresh, and the settings that point the application at it and at the copy. */
    public static Map<String, String> store(String example, Path routes) {
        String url = databaseOf(example);
        TestDatabase.ensureDatabase(url, true);
        return Map.of("syncline.routes.location", routes.toString(), "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", TestDatabase.user(), "quarkus.datasource.password", TestDatabase.password());
    }

    /** The statements of an example's SQL file ({@code examples/<example>/<file>}), split at each {@code ;}, comments dropped. */
    public static String[] statements(String example, String file) {
        try {
            String sql = Files.readString(Path.of("examples", example, file), StandardCharsets.UTF_8)
                    .replaceAll("(?m)--.*$", "");
            return Arrays.stream(sql.split(";")).map(String::strip).filter(statement -> !statement.isEmpty())
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
