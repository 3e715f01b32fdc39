package io.syncline.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.BadParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReasonBodyTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anEmptyBodyOrOneWithoutAReasonGivesNone() {
        assertThat(ReasonBody.reason(json, null)).isNull();
        assertThat(ReasonBody.reason(json, " ")).isNull();
        assertThat(ReasonBody.reason(json, "{}")).isNull();
        assertThat(ReasonBody.reason(json, "{\"reason\": null}")).isNull();
    }

    @Test
    void theReasonIsRead() {
        assertThat(ReasonBody.reason(json, "{\"reason\": \"test data\"}")).isEqualTo("test data");
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequestNamingNoParameter() {
        assertThatThrownBy(() -> ReasonBody.reason(json, "not json")).isInstanceOf(BadParameterException.class)
                .hasMessage("The body is not JSON; send {\"reason\": \"…\"} or nothing")
                .satisfies(e -> assertThat(((BadParameterException) e).parameter()).isNull());
    }
}
