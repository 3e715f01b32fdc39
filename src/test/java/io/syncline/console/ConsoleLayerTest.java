package io.syncline.console;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console sits on top of the stores: it reads every table through the store that owns it,
 * so no SQL, no connection and no data source appear in its package; and its Vert.x handlers are
 * pages, named {@code *Pages}.
 */
class ConsoleLayerTest {

    private static final Path CONSOLE = Path.of("src", "main", "java", "io", "syncline", "console");
    private static final Pattern DATABASE = Pattern.compile("import (java\\.sql\\.(?!SQLException)|javax\\.sql\\.|io\\.agroal\\.)");
    // The statements are written in capitals here, as everywhere in the project.
    private static final Pattern SQL = Pattern.compile("\"\\s*(SELECT|INSERT|UPDATE|DELETE|MERGE) ");

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(CONSOLE)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void noConsoleClassReachesTheDatabaseItself() throws IOException {
        assertThat(sources()).isNotEmpty().allSatisfy(file -> {
            String source = Files.readString(file);
            assertThat(DATABASE.matcher(source).find()).as("%s imports a database API", file.getFileName()).isFalse();
            assertThat(SQL.matcher(source).find()).as("%s holds SQL", file.getFileName()).isFalse();
        });
    }

    @Test
    void everyClassWithConsoleRoutesIsNamedForItsPages() throws IOException {
        assertThat(sources()).allSatisfy(file -> {
            String name = file.getFileName().toString().replace(".java", "");
            if (Files.readString(file).contains("@Route(")) {
                assertThat(name).endsWith("Pages");
            }
            assertThat(name).doesNotEndWith("Routes");
        });
    }
}
