package io.syncline.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each system type's folder ({@code io.syncline.connector.<type>}) is its own: only the folder
 * itself uses its classes, and the presets, which are REST APIs, also use {@code rest}'s. The
 * engine, the model and the wiring reach a type through the registry ({@code io.syncline.connector})
 * and the contract ({@code io.syncline.connector.spi}), never by naming it; nor do they ask
 * which type a system is by {@code instanceof} on its settings (a grep of the sources, since a
 * pattern's type test leaves no trace ArchUnit reads on every compiler).
 */
class ConnectorFoldersTest {

    private static final String CONNECTOR = "io.syncline.connector.";
    /**
     * The connector's own packages, which are no type's folder: the contract, and Google's service-account
     * sign-in, which google-sheets and the REST auth google-service-account share.
     */
    private static final Set<String> NOT_A_TYPE = Set.of("spi", "google");
    /** The REST presets: REST APIs whose plug-ins build on the {@code rest} type's classes. */
    private static final Set<String> REST_PRESETS =
            Set.of("airtable", "amazonsp", "asana", "bamboohr", "ebay", "googleworkspace", "harvest", "hubspot", "intercom", "jira",
                    "klaviyo", "notion", "okta", "pipedrive", "plaid", "quickbooks", "segment", "shopify", "stripe", "xero", "zendesk");

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CONNECTOR_SOURCES = SOURCES.resolve("io/syncline/connector");

    /** The class an {@code instanceof} tests: its top-level class's simple name ({@code RestSettings} of {@code RestSettings.Webhook}). */
    private static final Pattern INSTANCEOF = Pattern.compile("\\binstanceof\\s+(?:[a-z_][\\w]*\\.)*([A-Z]\\w*)");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.syncline");

    @Test
    void onlyATypesOwnFolderUsesIt() {
        Set<String> folders = typeFolders();
        assertThat(folders).as("the type folders under io.syncline.connector").contains("jdbc", "rest", "salesforce", "sheets");
        for (String folder : folders) {
            List<String> allowed = new ArrayList<>(List.of(CONNECTOR + folder + ".."));
            if (folder.equals("rest")) {
                REST_PRESETS.forEach(preset -> allowed.add(CONNECTOR + preset + ".."));
            }
            classes().that().resideInAPackage(CONNECTOR + folder + "..")
                    .should().onlyHaveDependentClassesThat().resideInAnyPackage(allowed.toArray(String[]::new))
                    .because("a system type's folder is its own; the engine reaches it through connector and connector.spi")
                    .check(CLASSES);
        }
    }

    @Test
    void noClassTestsASystemsSettingsOutsideItsTypesFolder() throws IOException {
        Map<String, String> settings = settingsClasses();
        assertThat(settings).as("settings classes found").isNotEmpty();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String folder = folderOf(file);
                String text = Files.readString(file);
                for (String tested : testedClasses(text)) {
                    String owner = settings.get(tested);
                    if (owner != null && !owner.equals(folder) && !(owner.equals("rest") && REST_PRESETS.contains(folder))) {
                        found.add(SOURCES.relativize(file) + ": instanceof " + tested + " (type " + owner + ")");
                    }
                }
            }
        }
        assertThat(found).as("instanceof on a system's settings outside its type's folder").isEmpty();
    }

    @Test
    void theGrepSeesATypeTestWhateverItsForm() {
        assertThat(testedClasses("if (a instanceof RestSettings rest && b instanceof io.syncline.connector.jdbc.JdbcSettings) {"))
                .containsExactly("JdbcSettings", "RestSettings");
        assertThat(testedClasses("x instanceof RestSettings.Webhook w")).containsExactly("RestSettings");
        assertThat(testedClasses("!(definition instanceof\n        SheetsSettings settings)")).containsExactly("SheetsSettings");
    }

    private static Set<String> testedClasses(String text) {
        Set<String> tested = new TreeSet<>();
        Matcher matcher = INSTANCEOF.matcher(text);
        while (matcher.find()) {
            tested.add(matcher.group(1));
        }
        return tested;
    }

    private static Set<String> typeFolders() {
        Set<String> folders = new TreeSet<>();
        for (JavaClass c : CLASSES) {
            String pkg = c.getPackageName();
            if (pkg.startsWith(CONNECTOR)) {
                String folder = pkg.substring(CONNECTOR.length()).split("\\.")[0];
                if (!NOT_A_TYPE.contains(folder)) {
                    folders.add(folder);
                }
            }
        }
        return folders;
    }

    /** Simple name of each system settings class (a type folder's {@code *System} or {@code *Settings}) to its type's folder. */
    private static Map<String, String> settingsClasses() throws IOException {
        Map<String, String> settings = new HashMap<>();
        try (Stream<Path> files = Files.walk(CONNECTOR_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String folder = folderOf(file);
                String name = file.getFileName().toString().replace(".java", "");
                if (folder != null && (name.endsWith("System") || name.endsWith("Settings"))) {
                    settings.put(name, folder);
                }
            }
        }
        return settings;
    }

    /** The type folder a source file is in; null for one outside every type's folder. */
    private static String folderOf(Path file) {
        if (!file.startsWith(CONNECTOR_SOURCES) || file.getParent().equals(CONNECTOR_SOURCES)) {
            return null;
        }
        String folder = CONNECTOR_SOURCES.relativize(file).getName(0).toString();
        return NOT_A_TYPE.contains(folder) ? null : folder;
    }
}
