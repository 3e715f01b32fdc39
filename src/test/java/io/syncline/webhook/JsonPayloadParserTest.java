package io.syncline.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}{\"a\":2}", "{\"a\":1} x", "{\"a\":1}]", "{\"a\":1} 2"})
    void moreThanOneValueIsMalformed(String body) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOfSatisfying(MalformedPayloadException.class, e -> {
                    assertThat(e.code()).isEqualTo("malformed_json");
                    assertThat(e.getMessage()).contains("one JSON value").contains("line 1, column 8");
                });
    }

    @Test
    void trailingWhitespaceIsOneValue() {
        assertThat(parse("{\"a\":1}\n\t ")).containsEntry("a", 1);
    }

    @Test
    void aFieldGivenTwiceIsMalformed() {
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}"))
                .isInstanceOfSatisfying(MalformedPayloadException.class,
                        e -> assertThat(e.getMessage()).contains("Duplicate field 'a'"));
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":{\"b\":[1,\"x\\u0000\"]}}     | invalid_text   | a.b[1]",
            "{\"a\":[{\"b\":\"\\ud800\"}]}        | invalid_text   | a[0].b",
            "{\"n\":1e400}                              | limit_exceeded | n",
    })
    void valuesPostgresCannotStoreOrBeyondLimitsNameTheirField(String body, String code, String field) {
        assertThatThrownBy(() -> parse(body.strip()))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.field()).isEqualTo(field.strip());
                });
    }

    @Test
    void limitsAreInclusive() {
        String deep = "[".repeat(PayloadLimits.MAX_DEPTH - 1) + "]".repeat(PayloadLimits.MAX_DEPTH - 1);
        assertThat(parse("{\"d\":" + deep + ",\"n\":" + "9".repeat(PayloadLimits.MAX_NUMBER_LENGTH) + "}"))
                .containsKey("n");
        assertThatThrownBy(() -> parse("{\"d\":[" + deep + "]}"))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.code()).isEqualTo("limit_exceeded"));
        assertThatThrownBy(() -> parse("{\"n\":" + "9".repeat(PayloadLimits.MAX_NUMBER_LENGTH + 1) + "}"))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("n"));
    }

    @Test
    void aSurrogatePairIsText() {
        assertThat(parse("{\"e\":\"\\ud83d\\ude00\"}")).containsEntry("e", "\ud83d\ude00");
    }

    @Test
    void aByteOrderMarkIsSkippedAndOtherEncodingsRefused() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
        assertThat(JsonPayloadParser.decode(bom)).isEqualTo("{}");
        assertThatThrownBy(() -> JsonPayloadParser.decode("{}".getBytes(StandardCharsets.UTF_16)))
                .isInstanceOfSatisfying(MalformedPayloadException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_encoding"));
        assertThatThrownBy(() -> JsonPayloadParser.decode("{}".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOfSatisfying(MalformedPayloadException.class, e -> assertThat(e.getMessage()).contains("NUL"));
    }
}
