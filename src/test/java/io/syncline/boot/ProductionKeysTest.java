package io.syncline.boot;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductionKeysTest {

    private static final Optional<String> SESSION = Optional.of("a-session-key-of-32-characters!!");
    private static final Optional<String> DIGEST = Optional.of("a-digest-key");

    @Test
    void bothKeysLetStartUpGoOn() {
        assertThatCode(() -> ProductionKeys.requirePresent(SESSION, DIGEST)).doesNotThrowAnyException();
    }

    @Test
    void eachMissingKeyIsNamedAndNoValueIsShown() {
        assertThatThrownBy(() -> ProductionKeys.requirePresent(Optional.empty(), DIGEST))
                .hasMessageContaining("SYNCLINE_CONSOLE_SESSION_KEY is not set")
                .hasMessageNotContaining("SYNCLINE_PRIVACY_DIGEST_KEY")
                .hasMessageNotContaining(DIGEST.get());
        assertThatThrownBy(() -> ProductionKeys.requirePresent(SESSION, Optional.of("  ")))
                .hasMessageContaining("SYNCLINE_PRIVACY_DIGEST_KEY is not set")
                .hasMessageNotContaining(SESSION.get());
        assertThatThrownBy(() -> ProductionKeys.requirePresent(Optional.empty(), Optional.empty()))
                .hasMessageContaining("SYNCLINE_CONSOLE_SESSION_KEY")
                .hasMessageContaining("SYNCLINE_PRIVACY_DIGEST_KEY");
    }

    @Test
    void aSessionKeyQuarkusWouldRefuseAtTheFirstLoginStopsStartUp() {
        String fifteen = "fifteen-chars!!";
        assertThatThrownBy(() -> ProductionKeys.requirePresent(Optional.of(fifteen), DIGEST))
                .hasMessageContaining("SYNCLINE_CONSOLE_SESSION_KEY is shorter than 16 characters")
                .hasMessageNotContaining(fifteen);
    }
}
