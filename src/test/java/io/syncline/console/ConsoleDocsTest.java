package io.syncline.console;

import io.quarkus.vertx.web.Route;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/console.md lists every URL the console answers, with its method, as the pages declare them. */
class ConsoleDocsTest {

    private static final Path CONSOLE = Path.of("src", "main", "java", "io", "syncline", "console");

    /** Each console route as the docs write it: {@code GET /console/review/{id}}. */
    private static List<String> urls() throws IOException, ClassNotFoundException {
        List<String> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(CONSOLE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                for (Method handler : Class.forName("io.syncline.console." + name).getDeclaredMethods()) {
                    for (Route route : handler.getAnnotationsByType(Route.class)) {
                        String path = route.regex().isEmpty() ? route.path().replaceAll(":(\\w+)", "{$1}")
                                : route.regex().replaceAll("\\(\\?<(\\w+)>[^)]*\\)", "{$1}").replace("\\.", ".");
                        for (Route.HttpMethod method : route.methods()) {
                            urls.add(method + " " + path);
                        }
                    }
                }
            }
        }
        return urls;
    }

    @Test
    void everyConsoleUrlIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs", "console.md"));
        List<String> urls = urls();

        assertThat(urls).hasSizeGreaterThan(20)
                .allSatisfy(url -> assertThat(docs).as("docs/console.md names %s", url).containsPattern("`" + java.util.regex.Pattern.quote(url) + "[`?]"));
    }
}
