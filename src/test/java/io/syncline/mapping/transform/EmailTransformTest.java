package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.regex.Pattern;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmailTransformTest {

    private final FieldTransform email = transform("email", null);

    @Test
    void trimsAndLowerCases() {
        assertThat(toCanonical(email, "  Ada.Lovelace+crm@Example.CO.UK ")).isEqualTo("ada.lovelace+crm@example.co.uk");
        assertThat(toSystem(email, "ada@example.com")).isEqualTo("ada@example.com");
    }

    @Test
    void blankIsNoAddress() {
        assertThat(toCanonical(email, " ")).isNull();
        assertThat(toCanonical(email, null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada", "ada@", "@example.com", "ada@example", "ada lovelace@example.com",
            "ada@@example.com", "ada@example..com", "ada@.example.com", "ada@example.com.", "+44 20 7946 0018"})
    void refusesWhatIsNotLocalAtDomainDotTld(String value) {
        assertThatThrownBy(() -> email.toCanonical(value, Transforms.context("email")))
                .isInstanceOfSatisfying(InvalidEmailException.class, e -> {
                    assertThat(e.value()).isEqualTo(value);
                    assertThat(e.getMessage())
                            .startsWith("contact.email from crm: '" + value + "' is not an email address");
                });
    }

    @Test
    void theShapeCheckAcceptsExactlyWhatTheDocumentedPatternAccepts() {
        Pattern documented = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");
        char[] alphabet = {'a', 'b', '@', '.', '.', ' ', '\t', '\r', '\u000B', 'é', '\u00A0', '+'};
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(12); i >= 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String candidate = text.toString();
            assertThat(EmailTransform.hasAddressShape(candidate)).as("'%s'", candidate)
                    .isEqualTo(documented.matcher(candidate).matches());
        }
    }
}
