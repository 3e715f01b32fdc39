package io.syncline.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A word of the model found among an enum's constants, in any case, or refused naming what may be written. */
class ByNameTest {

    private enum Then {
        REVIEW, EMPTY, SYNC
    }

    private enum Only {
        ONE
    }

    @Test
    void findsAConstantInAnyCase() {
        assertThat(ByName.constant(Then.class, "sync", "missingParent's action")).isEqualTo(Then.SYNC);
        assertThat(ByName.constant(Then.class, "Empty", "missingParent's action")).isEqualTo(Then.EMPTY);
    }

    @Test
    void refusesAnUnknownWordNamingEveryConstant() {
        assertThatThrownBy(() -> ByName.constant(Then.class, "skip", "missingParent's action"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missingParent's action 'skip' is unknown: write review, empty or sync");
        assertThatThrownBy(() -> ByName.constant(Only.class, null, "choice"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("choice 'null' is unknown: write one");
    }
}
