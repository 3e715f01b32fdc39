package io.syncline.exchange;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange contract is the one place the shared property names are spelled: Java code uses
 * its constants, and every name a route template or route file uses is one it declares.
 */
class ExchangeContractTest {

    private static final Pattern JAVA_NAME = Pattern.compile("\"(Syncline[A-Z]\\w*)\"");
    private static final Pattern ROUTE_NAME = Pattern.compile("\\b(Syncline[A-Z]\\w*)");
    private static final Path CONTRACT = Path.of("src/main/java/io/syncline/exchange/ExchangeContract.java");
    private static final Path ALERTING = Path.of("src/main/java/io/syncline/alerting");

    @Test
    void eachNameIsDeclaredOnce() throws IllegalAccessException {
        Map<String, String> byValue = new TreeMap<>();
        for (Field field : ExchangeContract.class.getFields()) {
            assertThat(Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())).isTrue();
            String value = (String) field.get(null);
            if (field.getName().startsWith("ORIGIN_")) {
                // a value of the ORIGIN property, not a property's name
                assertThat(value).as(field.getName()).matches("[a-z]+");
                continue;
            }
            assertThat(byValue.put(value, field.getName())).as("%s declared twice", value).isNull();
        }
        assertThat(byValue.keySet()).contains("SynclineSourceId", "SynclineCanonicalId", "SynclineTargetId")
                .allMatch(name -> name.startsWith("Syncline") || name.startsWith("X-"));
    }

    @Test
    void javaCodeSpellsNoPropertyNameOfItsOwn() throws IOException {
        List<String> spelled = new ArrayList<>();
        for (Path file : files(Path.of("src/main/java"), ".java")) {
            if (file.equals(CONTRACT) || file.startsWith(ALERTING)) {
                // the alerting package names alerts (SynclineRuleFired), which share the prefix and are no exchange's
                continue;
            }
            Matcher name = JAVA_NAME.matcher(Files.readString(file));
            while (name.find()) {
                spelled.add(file + ": " + name.group(1));
            }
        }
        assertThat(spelled).as("use ExchangeContract's constants").isEmpty();
    }

    @Test
    void routesUseOnlyNamesTheContractDeclares() throws IOException, IllegalAccessException {
        List<String> declared = new ArrayList<>();
        for (Field field : ExchangeContract.class.getFields()) {
            declared.add((String) field.get(null));
        }
        List<String> unknown = new ArrayList<>();
        // route templates and route files (.camel.yaml) and the models that name their endpoints
        // (.syncline.yaml); other YAML (presets, alert rule tests) names no exchange property
        List<Path> routes = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/resources"), Path.of("src/test/resources"))) {
            routes.addAll(files(root, ".camel.yaml"));
            routes.addAll(files(root, ".syncline.yaml"));
        }
        for (Path file : routes) {
            Matcher name = ROUTE_NAME.matcher(Files.readString(file));
            while (name.find()) {
                if (!declared.contains(name.group(1))) {
                    unknown.add(file + ": " + name.group(1));
                }
            }
        }
        assertThat(unknown).as("names ExchangeContract does not declare").isEmpty();
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(suffix)).toList();
        }
    }
}
