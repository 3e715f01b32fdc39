package io.syncline.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.testsupport.PackagedArtifact;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native sources ({@code ./mvnw verify -Dnative -Dquarkus.native.sources-only=true}, which CI
 * runs: no GraalVM here) hold every resource the application loads at run time, each matched by
 * the resource configuration native-image is given: the route templates and packaged routes
 * (loaded by name through Camel), the console's templates, the state store's migrations, and
 * libphonenumber's metadata (its jar carries no native-image configuration). A native executable
 * lacking one builds, and fails only when the resource is first asked for.
 */
class NativeSourcesIT {

    /** Resources of the application's own jar that are loaded at run time, by where they lie. */
    private static final List<String> APPLICATION_RESOURCES = List.of("routes/", "route-templates/", "templates/", "db/");
    private static final Path SOURCES = Path.of("target", "native-sources");
    private static final String PHONE_METADATA = "com/google/i18n/phonenumbers/data/";

    @Test
    void everyResourceTheApplicationLoadsIsInTheNativeImage() throws IOException {
        PackagedArtifact artifact = PackagedArtifact.built();
        Assumptions.assumeTrue(artifact.type().equals("native-sources"),
                "only a build of the native sources (-Dnative -Dquarkus.native.sources-only=true) is checked here");
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(file -> file.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no runner jar in " + SOURCES));
        }
        List<Pattern> included = includes(runner);

        List<String> loaded = new ArrayList<>(entries(runner, APPLICATION_RESOURCES));
        try (Stream<Path> libraries = Files.list(SOURCES.resolve("lib"))) {
            Path phoneJar = libraries.filter(jar -> jar.getFileName().toString().contains("libphonenumber")).findFirst()
                    .orElseThrow(() -> new AssertionError("libphonenumber is missing from the native sources' lib"));
            loaded.addAll(entries(phoneJar, List.of(PHONE_METADATA)));
        }

        assertThat(loaded).as("resources the application loads").hasSizeGreaterThan(100)
                .anyMatch(name -> name.startsWith("route-templates/"))
                .anyMatch(name -> name.startsWith("routes/"))
                .anyMatch(name -> name.startsWith("templates/console/"))
                .anyMatch(name -> name.startsWith("db/migration/"))
                .anyMatch(name -> name.startsWith(PHONE_METADATA));
        assertThat(loaded).as("resources no pattern of the native image's resource configuration includes")
                .allMatch(name -> included.stream().anyMatch(pattern -> pattern.matcher(name).matches()));
    }

    /** The include patterns of the resource configuration in the runner jar's META-INF/native-image. */
    private static List<Pattern> includes(Path runner) throws IOException {
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            ZipEntry config = jar.getEntry("META-INF/native-image/resource-config.json");
            assertThat(config).as("resource-config.json in " + runner).isNotNull();
            JsonNode resources = new ObjectMapper().readTree(jar.getInputStream(config)).path("resources");
            List<Pattern> patterns = new ArrayList<>();
            (resources.isArray() ? resources : resources.path("includes"))
                    .forEach(include -> patterns.add(Pattern.compile(include.path("pattern").asText())));
            return patterns;
        }
    }

    private static List<String> entries(Path jarPath, List<String> prefixes) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile jar = new ZipFile(jarPath.toFile())) {
            Enumeration<? extends ZipEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && prefixes.stream().anyMatch(entry.getName()::startsWith)) {
                    names.add(entry.getName());
                }
            }
        }
        return names;
    }
}
