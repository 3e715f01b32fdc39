package io.syncline.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Column {@code applied_from} as JSON: a change's stream position kept, and a version stored without one still read. */
class AppliedVersionJsonTest {

    private static final TypeReference<Map<String, RecordState.AppliedVersion>> APPLIED = new TypeReference<>() {
    };
    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void aStreamPositionIsKept() throws Exception {
        Map<String, RecordState.AppliedVersion> applied = Map.of("erp", new RecordState.AppliedVersion(
                Instant.parse("2026-01-01T12:00:34.277018Z"), "h1", new StreamPosition("pg", "00000000000000000900")));
        assertThat(mapper.readValue(mapper.writeValueAsString(applied), APPLIED)).isEqualTo(applied);
    }

    @Test
    void aVersionStoredWithoutAPositionHasNone() throws Exception {
        Map<String, RecordState.AppliedVersion> applied = mapper.readValue(
                "{\"crm\":{\"modifiedAt\":\"2026-01-01T12:00:00Z\",\"versionHash\":\"h1\"}}", APPLIED);
        assertThat(applied.get("crm")).isEqualTo(new RecordState.AppliedVersion(Instant.parse("2026-01-01T12:00:00Z"), "h1"));
    }
}
