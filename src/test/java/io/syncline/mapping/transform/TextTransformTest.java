package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTransformTest {

    private final FieldTransform trim = transform("trim", null);
    private final FieldTransform lowercase = transform("lowercase", null);
    private final FieldTransform uppercase = transform("uppercase", null);

    @Test
    void trimRemovesOuterWhitespaceOnly() {
        assertThat(toCanonical(trim, " \t Ada  Lovelace \n")).isEqualTo("Ada  Lovelace");
        assertThat(toCanonical(trim, "   ")).isEqualTo("");
    }

    @Test
    void caseChangesIgnoreTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(toCanonical(lowercase, "TITLE")).isEqualTo("title");
            assertThat(toCanonical(uppercase, "title")).isEqualTo("TITLE");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void nullStaysNullAndCanonicalValuesGoBackUnchanged() {
        assertThat(toCanonical(trim, null)).isNull();
        assertThat(toCanonical(lowercase, null)).isNull();
        assertThat(toSystem(uppercase, "ADA")).isEqualTo("ADA");
    }

    @Test
    void nonTextIsRefusedWithAHintToConvertFirst() {
        assertThatThrownBy(() -> toCanonical(trim, 42))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.value()).isEqualTo(42);
                    assertThat(e.field()).isEqualTo("value");
                    assertThat(e).hasMessage("contact.value from crm: '42' cannot be read as text"
                            + " (type Integer; put string before trim)");
                });
    }
}
