package io.syncline.connector.notion;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Notion's property value objects read as plain values and written back, as its property value reference gives them. */
class NotionPropertiesTest {

    private static Map<String, Object> text(String content) {
        return Map.of("type", "text", "text", Map.of("content", content), "plain_text", content);
    }

    @Test
    void eachTypeIsReadAsItsPlainValue() {
        assertThat(NotionProperties.plain(Map.of("id", "title", "type", "title", "title", List.of(text("Ada "), text("King")))))
                .isEqualTo("Ada King");
        assertThat(NotionProperties.plain(Map.of("id", "a", "type", "email", "email", "ada@example.com"))).isEqualTo("ada@example.com");
        assertThat(NotionProperties.plain(Map.of("id", "b", "type", "number", "number", 12.5))).isEqualTo(12.5);
        assertThat(NotionProperties.plain(Map.of("id", "c", "type", "select", "select", Map.of("id", "x", "name", "Lead"))))
                .isEqualTo("Lead");
        assertThat(NotionProperties.plain(Map.of("id", "d", "type", "multi_select", "multi_select",
                List.of(Map.of("name", "a"), Map.of("name", "b"))))).isEqualTo(List.of("a", "b"));
        assertThat(NotionProperties.plain(Map.of("id", "e", "type", "date", "date", Map.of("start", "2026-11-29")))).isEqualTo("2026-11-29");
        assertThat(NotionProperties.plain(Map.of("id", "f", "type", "formula", "formula", Map.of("type", "number", "number", 3))))
                .isEqualTo(3);
        Map<String, Object> empty = new HashMap<>(Map.of("id", "g", "type", "select"));
        empty.put("select", null);
        assertThat(NotionProperties.plain(empty)).isNull();
    }

    @Test
    void aPlainValueIsWrittenAsTheObjectItsTypeTakes() {
        assertThat(NotionProperties.typed("title", "Ada")).isEqualTo(Map.of("title",
                List.of(Map.of("type", "text", "text", Map.of("content", "Ada")))));
        assertThat(NotionProperties.typed("rich_text", null)).isEqualTo(Map.of("rich_text", List.of()));
        assertThat(NotionProperties.typed("email", "ada@example.com")).isEqualTo(Map.of("email", "ada@example.com"));
        assertThat(NotionProperties.typed("select", "Lead")).isEqualTo(Map.of("select", Map.of("name", "Lead")));
        assertThat(NotionProperties.typed("multi_select", "a, b")).isEqualTo(Map.of("multi_select",
                List.of(Map.of("name", "a"), Map.of("name", "b"))));
        assertThat(NotionProperties.typed("date", "2026-11-29")).isEqualTo(Map.of("date", Map.of("start", "2026-11-29")));
        assertThat(NotionProperties.typed("email", null)).containsEntry("email", null);
    }
}
