package io.syncline.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.inject.Named;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route's {@code bean} step that names a method without its arguments ({@code method: chunks})
 * leaves Camel to choose among every method of that name by the message alone, and which one it
 * tries first follows reflection's order, which differs between JVM runs: an overload added for a
 * test once made the dispatcher call the wrong one on some runs and apply nothing. So such a
 * method must be the only one of its name in its bean.
 */
class RouteBeanMethodsTest {

    @Test
    void everyMethodARouteNamesWithoutArgumentsIsTheOnlyOneOfItsNameInItsBean() throws Exception {
        Map<String, Class<?>> beans = namedBeans();
        List<String> steps = new ArrayList<>();
        for (Path folder : routeFolders()) {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                    collectBareMethods(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()), file, steps);
                }
            }
        }

        assertThat(steps).as("bean steps naming a method without arguments").isNotEmpty();
        for (String step : steps) {
            String[] parts = step.split(" ");
            Class<?> bean = beans.get(parts[1]);
            assertThat(bean).as("%s: no @Named bean is called %s", parts[0], parts[1]).isNotNull();
            long sameName = Arrays.stream(bean.getDeclaredMethods())
                    .filter(method -> method.getName().equals(parts[2]) && !method.isSynthetic()).count();
            assertThat(sameName).as("%s: methods named %s in %s", parts[0], parts[2], bean.getName()).isEqualTo(1);
        }
    }

    /** The shipped routes and the tests' route folders, but for the one broken on purpose. */
    private static List<Path> routeFolders() throws IOException {
        List<Path> folders = new ArrayList<>(List.of(Path.of("routes")));
        try (Stream<Path> test = Files.list(Path.of("src/test/resources"))) {
            test.filter(folder -> folder.getFileName().toString().endsWith("-routes"))
                    .filter(folder -> !folder.getFileName().toString().equals("broken-routes")).sorted().forEach(folders::add);
        }
        return folders;
    }

    /** "file ref method" of each bean step whose method has no argument list. */
    private static void collectBareMethods(JsonNode node, Path file, List<String> steps) {
        if (node.isObject() && node.has("ref") && node.has("method") && !node.get("method").asText().contains("(")) {
            String where = file.getParent().getFileName() + "/" + file.getFileName();
            steps.add(where + " " + node.get("ref").asText() + " " + node.get("method").asText());
        }
        node.forEach(child -> collectBareMethods(child, file, steps));
    }

    /** The application's {@code @Named} beans by name, from its compiled classes. */
    private static Map<String, Class<?>> namedBeans() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target/classes");
        Map<String, Class<?>> beans = new HashMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, RouteBeanMethodsTest.class.getClassLoader());
                Named named = type.getAnnotation(Named.class);
                if (named != null) {
                    beans.put(named.value(), type);
                }
            }
        }
        return beans;
    }
}
