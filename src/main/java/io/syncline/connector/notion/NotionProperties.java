package io.syncline.connector.notion;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Notion page property between Notion's typed object and the plain value a mapping reads and writes,
 * as Notion's property value reference describes each type:
 * <ul>
 *   <li>{@code title}, {@code rich_text}: the text of its rich-text items, joined ({@code plain_text});
 *   written as one text item, {@code [{"type": "text", "text": {"content"}}]};</li>
 *   <li>{@code number}, {@code email}, {@code phone_number}, {@code url}, {@code checkbox}: the value itself;</li>
 *   <li>{@code select}, {@code status}: the option's {@code name}; written as {@code {"name"}};</li>
 *   <li>{@code multi_select}: the options' names, a list; written as {@code [{"name"}, …]};</li>
 *   <li>{@code date}: its {@code start} (an ISO 8601 date or time); written as {@code {"start"}};</li>
 *   <li>{@code created_time}, {@code last_edited_time}, {@code unique_id}'s number, {@code formula}'s
 *   result: read only;</li>
 *   <li>any other type ({@code people}, {@code relation}, {@code files}, {@code rollup}): its object as
 *   Notion gives it, and written as the mapping gives it.</li>
 * </ul>
 */
final class NotionProperties {

    private NotionProperties() {
    }

    /** The plain value of a property object {@code {"id", "type", "<type>": …}}. */
    static Object plain(Object property) {
        if (!(property instanceof Map<?, ?> object) || !(object.get("type") instanceof String type)) {
            return property;
        }
        Object value = object.get(type);
        return switch (type) {
            case "title", "rich_text" -> value instanceof Collection<?> items ? text(items) : null;
            case "select", "status" -> value instanceof Map<?, ?> option ? option.get("name") : null;
            case "multi_select" -> value instanceof Collection<?> options
                    ? options.stream().map(option -> option instanceof Map<?, ?> named ? named.get("name") : option).toList()
                    : null;
            case "date" -> value instanceof Map<?, ?> date ? date.get("start") : null;
            case "unique_id" -> value instanceof Map<?, ?> id ? id.get("number") : null;
            case "formula" -> value instanceof Map<?, ?> result && result.get("type") instanceof String kind
                    ? plain(Map.of("type", kind, kind, result.get(kind) == null ? "" : result.get(kind)))
                    : null;
            default -> value;
        };
    }

    /** {@code value} as the property object of a property of {@code type}: {@code {"<type>": …}}. */
    static Map<String, Object> typed(String type, Object value) {
        Object written = switch (type) {
            case "title", "rich_text" -> value == null ? List.of()
                    : List.of(Map.of("type", "text", "text", Map.of("content", value.toString())));
            case "select", "status" -> value == null ? null : Map.of("name", value.toString());
            case "multi_select" -> options(value);
            case "date" -> value == null ? null : Map.of("start", value.toString());
            default -> value;
        };
        Map<String, Object> property = new LinkedHashMap<>();
        property.put(type, written);
        return property;
    }

    private static String text(Collection<?> items) {
        return items.stream()
                .map(item -> item instanceof Map<?, ?> rich ? rich.get("plain_text") : null)
                .map(text -> text == null ? "" : text.toString())
                .collect(Collectors.joining());
    }

    private static List<Map<String, Object>> options(Object value) {
        List<Map<String, Object>> options = new ArrayList<>();
        if (value instanceof Collection<?> names) {
            names.forEach(name -> options.add(Map.of("name", String.valueOf(name))));
        } else if (value != null) {
            for (String name : value.toString().split(",")) {
                if (!name.isBlank()) {
                    options.add(Map.of("name", name.trim()));
                }
            }
        }
        return options;
    }
}
