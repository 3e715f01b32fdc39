package io.syncline.http;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A state store that cannot be reached is the documented 503, not a 500; the rest keeps its error id. */
class AdminErrorMappersTest {

    private final AdminErrorMappers mappers = new AdminErrorMappers();

    @Test
    void aStoreThatCannotBeReachedIs503WithRetryAfter() {
        Response response = mappers.internal(new RuntimeException(new SQLException("Connection refused", "08001")));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) response.getEntity();
        assertThat(body).containsEntry("error", "store_unavailable").containsEntry("status", 503);
    }

    @Test
    void anythingElseIs500WithAnErrorIdAndNoInternals() {
        Response response = mappers.internal(new IllegalStateException("SELECT secret FROM somewhere"));
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat((String) ((Map<?, ?>) response.getEntity()).get("message")).contains("error id")
                .doesNotContain("SELECT");
    }
}
