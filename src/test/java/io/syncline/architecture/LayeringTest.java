package io.syncline.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering of docs/architecture.md: no class uses a layer above its own. Checked twice: on the
 * compiled classes with ArchUnit, which sees every use but not a {@code static final} constant
 * (the compiler copies its value into the class that reads it), and on the sources' imports, which
 * catch the constants.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT =
            Pattern.compile("^import (static )?(io\\.syncline\\.[\\w.]+);", Pattern.MULTILINE);

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.syncline");

    @Test
    void noClassUsesALayerAboveItsOwn() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (Layer layer : Layer.values()) {
            layers = layers.layer(layer.title()).definedBy(DescribedPredicate.describe("in layer " + layer.title(),
                    (JavaClass c) -> Layer.of(c.getName()).equals(Optional.of(layer))));
        }
        for (Layer layer : Layer.values()) {
            String[] above = Arrays.stream(Layer.values()).filter(l -> l.ordinal() > layer.ordinal()).map(Layer::title)
                    .toArray(String[]::new);
            layers = above.length == 0 ? layers.whereLayer(layer.title()).mayNotBeAccessedByAnyLayer()
                    : layers.whereLayer(layer.title()).mayOnlyBeAccessedByLayers(above);
        }
        layers.check(CLASSES);
    }

    @Test
    void noSourceImportsALayerAboveItsOwn() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String origin = className(file);
                Layer from = Layer.of(origin).orElse(null);
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (from != null && imports.find()) {
                    String used = topLevelOf(imports.group(2));
                    Optional<Layer> to = Layer.of(used);
                    if (to.isPresent() && to.get().ordinal() > from.ordinal()) {
                        violations.add(origin + " (" + from.title() + ") imports " + used + " (" + to.get().title() + ")");
                    }
                }
            }
        }
        assertThat(violations).as("imports that point up the layering (docs/architecture.md)").isEmpty();
    }

    @Test
    void everyPackageIsInALayer() {
        TreeSet<String> unplaced = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            if (Layer.of(c.getName()).isEmpty()) {
                unplaced.add(c.getPackageName());
            }
        }
        assertThat(unplaced).as("packages in no layer: place them in Layer and docs/architecture.md").isEmpty();
    }

    private static String className(Path file) {
        String relative = SOURCES.relativize(file).toString();
        return relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
    }

    /** The top-level class an import names: {@code a.b.Outer.Inner} and {@code a.b.Outer.NAME} give {@code a.b.Outer}. */
    private static String topLevelOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder name = new StringBuilder();
        for (String part : parts) {
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(part);
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
        }
        return name.toString();
    }
}
