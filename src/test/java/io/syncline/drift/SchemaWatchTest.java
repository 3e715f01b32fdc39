package io.syncline.drift;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pieces of {@link SchemaWatch} that need no store: accepted renames and the JSON types a drift compares. */
class SchemaWatchTest {

    private static FieldDrift rename(String path, String to) {
        return new FieldDrift(1, "contact", "crm", "phone", path, FieldDrift.MISSING, "string", null, FieldDrift.RENAMED,
                Instant.EPOCH, to, "admin", Instant.EPOCH);
    }

    @Test
    void anAcceptedRenameGivesTheVanishedPathTheNewOnesValueInACopy() {
        Map<String, Object> source = new LinkedHashMap<>(Map.of("id", "c-1", "mobile", "+44 20 7946 0000"));

        Map<String, Object> read = SchemaWatch.renamed(source, List.of(rename("phone", "mobile")));

        assertThat(read).containsEntry("phone", "+44 20 7946 0000").containsEntry("mobile", "+44 20 7946 0000");
        assertThat(source).doesNotContainKey("phone");
    }

    @Test
    void aPayloadThatStillCarriesTheOldPathOrLacksTheNewOneIsReadAsItCame() {
        Map<String, Object> both = Map.of("phone", "old", "mobile", "new");
        Map<String, Object> neither = Map.of("id", "c-2");

        assertThat(SchemaWatch.renamed(both, List.of(rename("phone", "mobile")))).isSameAs(both);
        assertThat(SchemaWatch.renamed(neither, List.of(rename("phone", "mobile")))).isSameAs(neither);
    }

    @Test
    void aNestedPathIsRenamedToo() {
        Map<String, Object> source = new LinkedHashMap<>(Map.of("contact", new LinkedHashMap<>(Map.of("mobile", "1"))));

        Map<String, Object> read = SchemaWatch.renamed(source, List.of(rename("address.phone", "contact.mobile")));

        assertThat(read).containsEntry("address", Map.of("phone", "1"));
    }

    @Test
    void theTypesAreJsonsAndANullHasNone() {
        assertThat(SchemaWatch.typeOf("x")).isEqualTo("string");
        assertThat(SchemaWatch.typeOf(12)).isEqualTo("number");
        assertThat(SchemaWatch.typeOf(new BigDecimal("1.5"))).isEqualTo("number");
        assertThat(SchemaWatch.typeOf(true)).isEqualTo("boolean");
        assertThat(SchemaWatch.typeOf(Map.of())).isEqualTo("object");
        assertThat(SchemaWatch.typeOf(List.of())).isEqualTo("array");
        assertThat(SchemaWatch.typeOf(null)).isNull();
    }
}
