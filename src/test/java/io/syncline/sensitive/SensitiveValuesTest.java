package io.syncline.sensitive;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ModelValidationException;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensitiveValuesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = key('a');
    private static final String NEW_KEY = key('b');

    private static String key(char fill) {
        return Base64.getEncoder().encodeToString(String.valueOf(fill).repeat(32).getBytes());
    }

    private static SyncModel model() {
        Map<String, CanonicalField> fields = new LinkedHashMap<>();
        fields.put("id", new CanonicalField(CanonicalField.Type.STRING, null));
        fields.put("ssn", new CanonicalField(CanonicalField.Type.STRING, null, null, null, null, null, null, null, true, null, null, null));
        SystemMapping hr = MAPPER.convertValue(Map.of("key", "id", "fields", List.of(Map.of("field", "id", "path", "id"),
                Map.of("field", "ssn", "path", "person.ssn"))), SystemMapping.class);
        EntityDefinition employee = new EntityDefinition("id", "hr", null, fields, Map.of("hr", hr), null, null, null, null,
                null, null, null, null);
        return new SyncModel(null, Map.of("employee", employee));
    }

    private static SensitiveValues values(String key, String previous) {
        SensitiveValues values = new SensitiveValues(MAPPER, Optional.ofNullable(key), Optional.ofNullable(previous));
        values.use(model());
        return values;
    }

    @Test
    void aValueIsEncryptedAtItsPathAndReadBackInClear() throws Exception {
        SensitiveValues values = values(KEY, null);
        String stored = values.encryptPayload("employee", "hr", "{\"id\":\"e-1\",\"person\":{\"ssn\":\"987-65-4329\"}}");

        assertThat(stored).doesNotContain("987-65-4329").contains("\"$enc\":\"v1:").contains("\"id\":\"e-1\"");
        Map<?, ?> read = values.decryptAll(MAPPER.readValue(stored, Map.class));
        assertThat(read).isEqualTo(Map.of("id", "e-1", "person", Map.of("ssn", "987-65-4329")));
        // a random nonce: the same value twice is two different texts
        assertThat(values.encryptPayload("employee", "hr", "{\"person\":{\"ssn\":\"987-65-4329\"}}"))
                .isNotEqualTo(values.encryptPayload("employee", "hr", "{\"person\":{\"ssn\":\"987-65-4329\"}}"));
    }

    @Test
    void aBodyThatIsNoJsonObjectIsEncryptedWhole() throws Exception {
        SensitiveValues values = values(KEY, null);
        String stored = values.encryptPayload("employee", "hr", "ssn=987-65-4329");

        assertThat(stored).doesNotContain("987-65-4329");
        assertThat((Object) values.decryptAll(MAPPER.readValue(stored, Map.class))).isEqualTo("ssn=987-65-4329");
        // a system without sensitive fields keeps its payloads as they came
        assertThat(values.encryptPayload("employee", "payroll", "ssn=1")).isEqualTo("ssn=1");
    }

    @Test
    void digestsTellEqualValuesApartFromOthersWithoutTheValue() {
        SensitiveValues values = values(KEY, null);
        Map<String, Object> sealed = values.seal("employee", Map.of("id", "e-1", "ssn", "987-65-4329"));

        assertThat(sealed).containsEntry("id", "e-1");
        assertThat((String) sealed.get("ssn")).startsWith("sha256:").doesNotContain("987");
        assertThat(values.digest("987-65-4329")).isEqualTo(sealed.get("ssn")).isNotEqualTo(values.digest("987-65-4330"));
        assertThat(values.digest(sealed.get("ssn"))).isEqualTo(sealed.get("ssn"));
        assertThat(values(NEW_KEY, null).digest("987-65-4329")).isNotEqualTo(sealed.get("ssn"));
    }

    @Test
    void aPayloadEncryptedBeforeARotationIsReadWithThePreviousKey() throws Exception {
        String stored = values(KEY, null).encryptPayload("employee", "hr", "{\"person\":{\"ssn\":\"987-65-4329\"}}");
        Map<?, ?> parsed = MAPPER.readValue(stored, Map.class);

        assertThat(values(NEW_KEY, KEY).<Map<?, ?>>decryptAll(parsed)).isEqualTo(Map.of("person", Map.of("ssn", "987-65-4329")));
        assertThatThrownBy(() -> values(NEW_KEY, null).decryptAll(parsed)).hasMessageContaining("SYNCLINE_FIELD_KEY_PREVIOUS")
                .hasMessageNotContaining("987");
    }

    @Test
    void aModelWithASensitiveFieldNeedsTheKeyAndTheKeyThirtyTwoBytes() {
        assertThatThrownBy(() -> values(null, null)).isInstanceOf(ModelValidationException.class)
                .hasMessageContaining("SYNCLINE_FIELD_KEY is not set").hasMessageContaining("entities.employee.fields.ssn");
        assertThatThrownBy(() -> values(Base64.getEncoder().encodeToString(new byte[16]), null))
                .hasMessageContaining("holds 16 bytes, not 32");
        assertThat(new SensitiveValues(MAPPER, Optional.empty(), Optional.empty()).any()).isFalse();
    }
}
