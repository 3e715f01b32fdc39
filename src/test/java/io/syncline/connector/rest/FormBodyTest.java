package io.syncline.connector.rest;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A record as a form body, nested members in brackets as Stripe reads them. */
class FormBodyTest {

    @Test
    void nestedMembersGoInBracketsAndValuesAreEncoded() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("email", "ada+billing@example.com");
        record.put("name", "Ada Lovelace");
        record.put("address", Map.of("city", "Saint-Étienne"));
        record.put("metadata", Map.of("crm_id", "c-1"));
        record.put("preferred_locales", List.of("fr", "en"));
        record.put("balance", 1200);

        assertThat(FormBody.encode(record)).isEqualTo("email=ada%2Bbilling%40example.com&name=Ada+Lovelace"
                + "&address%5Bcity%5D=Saint-%C3%89tienne&metadata%5Bcrm_id%5D=c-1"
                + "&preferred_locales%5B0%5D=fr&preferred_locales%5B1%5D=en&balance=1200");
    }

    @Test
    void aNullIsSentEmptyWhichClearsTheField() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("phone", null);
        record.put("address", Map.of());

        assertThat(FormBody.encode(record)).isEqualTo("phone=");
    }
}
