package io.syncline.review;

import io.syncline.compiled.SyncModelCompiler;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformRegistry;
import io.syncline.model.ModelFile;
import io.syncline.testsupport.BuiltInSystemTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A person's value for a field: read as the canonical type, and accepted by the target's mapping, or refused naming why. */
class CustomValueCheckTest {

    private static final String MODEL = """
            systems:
              crm: {type: jdbc, datasource: default}
              billing: {type: jdbc, datasource: default}
            entities:
              invoice:
                key: id
                master: crm
                fields:
                  id: {type: string}
                  email: {type: string}
                  amount: {type: decimal}
                  lines: {type: integer}
                  paid: {type: boolean}
                  dueOn: {type: date}
                  sentAt: {type: timestamp}
                mappings:
                  crm:
                    key: id
                    table: crm_invoice
                    fields:
                      - {field: id, path: id}
                      - {field: email, path: email}
                      - {field: amount, path: amount}
                      - {field: lines, path: lines}
                      - {field: paid, path: paid}
                      - {field: dueOn, path: due_on}
                      - {field: sentAt, path: sent_at}
                  billing:
                    key: external_id
                    table: billing_invoice
                    fields:
                      - {field: id, path: external_id}
                      - {field: email, path: email, transforms: [email]}
                      - {field: dueOn, path: due_on}
                webhooks: {crm: /webhooks/crm/invoices}
            """;

    private static CustomValueCheck check;

    @BeforeAll
    static void model() {
        RecordTransformer transformer =
                new SyncModelCompiler(name -> null, TransformRegistry.builtIn(), (e, c, s) -> Optional.empty(), BuiltInSystemTypes.CATALOG)
                        .compile(List.of(new ModelFile("file:invoice.syncline.yaml", MODEL.getBytes(StandardCharsets.UTF_8))))
                        .transformer();
        check = new CustomValueCheck(transformer, "invoice", List.of("billing"));
    }

    @Test
    void valuesOfTheRightTypeBecomeCanonical() {
        assertThat(check.canonical("lines", "42")).isEqualTo(42L);
        assertThat(check.canonical("amount", 12.5)).isEqualTo(new java.math.BigDecimal("12.5"));
        assertThat(check.canonical("paid", true)).isEqualTo(true);
        assertThat(check.canonical("dueOn", "2024-05-01")).isEqualTo("2024-05-01");
        assertThat(check.canonical("sentAt", "2024-05-01T10:00:00+01:00")).isEqualTo("2024-05-01T09:00:00Z");
        assertThat(check.canonical("email", "ada@example.com")).isEqualTo("ada@example.com");
        assertThat(check.canonical("email", null)).isNull();
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingFieldValueAndType() {
        assertThatThrownBy(() -> check.canonical("lines", "abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lines").hasMessageContaining("'abc'").hasMessageContaining("an integer");
        assertThatThrownBy(() -> check.canonical("lines", 2.5)).hasMessageContaining("an integer");
        assertThatThrownBy(() -> check.canonical("dueOn", "01/05/2024x")).hasMessageContaining("dueOn")
                .hasMessageContaining("a date");
        assertThatThrownBy(() -> check.canonical("sentAt", "yesterday")).hasMessageContaining("a timestamp");
        assertThatThrownBy(() -> check.canonical("paid", "perhaps")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> check.canonical("amount", "")).hasMessageContaining("a decimal number");
        assertThatThrownBy(() -> check.canonical("email", List.of("a@b.c"))).hasMessageContaining("a single string value");
        assertThatThrownBy(() -> check.canonical("unknown", "x")).hasMessageContaining("invoice has no field unknown");
    }

    @Test
    void aValueTheTargetsMappingRefusesIsRefused() {
        assertThatThrownBy(() -> check.canonical("email", "not an address")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("email").hasMessageContaining("'not an address'").hasMessageContaining("billing");
    }
}
