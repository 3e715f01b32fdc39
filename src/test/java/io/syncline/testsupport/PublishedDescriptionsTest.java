package io.syncline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which file a check reads: the whole published description where it is placed and of the pinned
 * version, the whole file committed here or else the excerpt kept here where it is not, a failure where
 * a placed file is of another version;
 * and, where the whole description is placed, that the excerpt says what it says on all it keeps.
 */
class PublishedDescriptionsTest {

    private static final String HUBSPOT = "hubspot/contacts.json";
    private static final String KLAVIYO = "klaviyo/stable.json";

    @Test
    void withoutASharedFolderTheExcerptIsUsed() {
        PublishedDescriptions.Located located = PublishedDescriptions.locate(HUBSPOT, Optional.empty(), false);

        assertThat(located.whole()).isFalse();
        assertThat(located.file()).isEqualTo(Path.of("src/test/resources/contracts/hubspot-crm-contacts-v3.json"));
        assertThat(located.file()).isRegularFile();
        assertThat(located.label()).isEqualTo("the excerpt hubspot-crm-contacts-v3.json; the whole hubspot/contacts.json is not placed");
    }

    @Test
    void aDescriptionCommittedWholeIsUsedWithoutASharedFolder() {
        PublishedDescriptions.Located located = PublishedDescriptions.locate("jira/swagger-v3.v3.json", Optional.empty(), false);

        assertThat(located.whole()).isTrue();
        assertThat(located.file()).isRegularFile();
        assertThat(located.label()).isEqualTo("the whole jira/swagger-v3.v3.json committed under src/test/resources/contracts/published");
    }

    @Test
    void aSharedFolderWithoutTheFileFallsBackToTheExcerptUnlessNamed(@TempDir Path folder) {
        assertThat(PublishedDescriptions.locate(HUBSPOT, Optional.of(folder), false).whole()).isFalse();
        assertThatThrownBy(() -> PublishedDescriptions.locate(HUBSPOT, Optional.of(folder), true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("SYNCLINE_CONTRACTS names")
                .hasMessageContaining("ab9ffa9c6f456fd8fce017f3d36fe619cbe88315");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aPlacedFileOfAnotherVersionFails(boolean named, @TempDir Path folder) throws IOException {
        Files.createDirectories(folder.resolve("hubspot"));
        Files.writeString(folder.resolve(HUBSPOT), "{\"openapi\": \"3.0.1\"}");

        assertThatThrownBy(() -> PublishedDescriptions.locate(HUBSPOT, Optional.of(folder), named))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is not the pinned version")
                .hasMessageContaining("40c68680daa2eba157cf4b1e0183f8c30db349f662efb138874d6505794d85a0");
    }

    @Test
    void withoutASharedFolderAWholeFileCommittedHereIsUsedUnpackedAndCheckedAgainstItsPin() throws IOException {
        PublishedDescriptions.Located located = PublishedDescriptions.locate(KLAVIYO, Optional.empty(), false);

        assertThat(located.whole()).isTrue();
        assertThat(located.label()).isEqualTo("the whole klaviyo/stable.json committed under src/test/resources/contracts/published");
        assertThat(new ObjectMapper().readTree(located.file().toFile()).at("/info/version").asText()).isEqualTo("2026-07-15");
    }

    @Test
    void theSharedFolderIsFoundAboveTheWorkingFolder(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("shared/contracts"));
        Path clone = Files.createDirectories(root.resolve("work/clone"));

        assertThat(PublishedDescriptions.sharedFolder(clone)).contains(root.resolve("shared/contracts"));
        assertThat(PublishedDescriptions.sharedFolder(root.resolve("elsewhere"))).contains(root.resolve("shared/contracts"));
    }

    /**
     * Runs where the whole descriptions are placed; a clean clone reports it skipped. The excerpt
     * is transcribed by hand and leaner than the description (fewer enum values, looser types),
     * so what must agree is what decides a request's fate: every operation it keeps exists, and
     * every schema it keeps requires the same fields.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("excerpts")
    void theExcerptAgreesWithTheWholeDescriptionOnAllItKeeps(String name, String kept) throws IOException {
        PublishedDescriptions.Located whole = PublishedDescriptions.locate(name);
        assumeTrue(whole.whole(), "the whole " + name + " is not placed under shared/contracts/");
        JsonNode published = new YAMLMapper().readTree(whole.file().toFile());
        JsonNode excerpt = new ObjectMapper().readTree(PublishedDescriptions.EXCERPTS.resolve(kept).toFile());
        String prefix = serverPath(published).substring(serverPath(excerpt).length());

        List<String> differences = new ArrayList<>();
        excerpt.path("paths").fields().forEachRemaining(path -> {
            JsonNode item = published.path("paths").path(path.getKey().substring(Math.min(prefix.length(), path.getKey().length())));
            path.getValue().fields().forEachRemaining(operation -> {
                if (!path.getKey().startsWith(prefix) || !item.has(operation.getKey())) {
                    differences.add(operation.getKey() + " " + path.getKey() + " is not in the whole description");
                }
            });
        });
        excerpt.path("components").path("schemas").fields().forEachRemaining(schema -> {
            JsonNode publishedSchema = published.path("components").path("schemas").path(schema.getKey());
            if (!publishedSchema.isMissingNode() && !required(schema.getValue()).equals(required(publishedSchema))) {
                differences.add("schema " + schema.getKey() + " requires " + required(schema.getValue()) + ", the description "
                        + required(publishedSchema));
            }
        });

        assertThat(differences).as("%s against %s", kept, whole.label()).isEmpty();
    }

    /** Every excerpt of every pinned description. */
    static Stream<Arguments> excerpts() {
        return PublishedDescriptions.PINS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .flatMap(pin -> pin.getValue().excerpts().stream().map(excerpt -> Arguments.of(pin.getKey(), excerpt)));
    }

    private static SortedSet<String> required(JsonNode schema) {
        SortedSet<String> fields = new TreeSet<>();
        schema.path("required").forEach(field -> fields.add(field.asText()));
        return fields;
    }

    /** The path of the description's first server, its variables at their defaults (eBay's {@code https://api.ebay.com{basePath}}). */
    private static String serverPath(JsonNode description) {
        JsonNode server = description.path("servers").path(0);
        String url = server.path("url").asText("/");
        for (java.util.Iterator<Map.Entry<String, JsonNode>> variables = server.path("variables").fields(); variables.hasNext();) {
            Map.Entry<String, JsonNode> variable = variables.next();
            url = url.replace("{" + variable.getKey() + "}", variable.getValue().path("default").asText());
        }
        String path = URI.create(url).getPath();
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
