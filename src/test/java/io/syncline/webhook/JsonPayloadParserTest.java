package io.syncline.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPayloadParserTest {

    private final JsonPayloadParser parser = new JsonPayloadParser(new ObjectMapper());

    private Map<String, Object> parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesAJsonObjectKeepingNestedValues() {
        assertThat(parse("{\"id\":\"c-1\",\"address\":{\"city\":\"Leeds\"},\"tags\":[\"a\"]}"))
                .containsEntry("id", "c-1")
                .containsEntry("address", Map.of("city", "Leeds"))
                .containsKey("tags");
    }

    @Test
    void truncatedJsonNamesLineAndColumnWithoutInternalNoise() {
        assertThatThrownBy(() -> parse("{\"id\": \"c-1\""))
                .isInstanceOfSatisfying(MalformedPayloadException.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_json");
                    assertThat(e.getMessage()).contains("at line 1, column 13").doesNotContain("Source:");
                });
    }

    @Test
    void nullLiteralIsNotAnObject() {
        assertThatThrownBy(() -> parse("null"))
                .isInstanceOfSatisfying(MalformedPayloadException.class,
                        e -> assertThat(e.code()).isEqualTo("not_a_json_object"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON",
            "application/vnd.stripe+json"})
    void jsonContentTypesAreAccepted(String contentType) {
        assertThatCode(() -> JsonPayloadParser.requireJsonContentType(contentType)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/jsonp", " "})
    void otherContentTypesAre415(String contentType) {
        assertThatThrownBy(() -> JsonPayloadParser.requireJsonContentType(contentType))
                .isInstanceOfSatisfying(UnsupportedMediaTypeException.class,
                        e -> assertThat(e.status()).isEqualTo(415));
    }

    @Test
    void missingContentTypeIs415() {
        assertThatThrownBy(() -> JsonPayloadParser.requireJsonContentType(null))
                .isInstanceOf(UnsupportedMediaTypeException.class)
                .hasMessageContaining("missing");
    }
}
