package io.syncline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What a test asserts of the dead letters a provider's refusal leaves in the state store. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * The one dead letter whose payload holds {@code payload} (on the database {@code url}) gives
     * {@code reason} as its reason, after one attempt: a refusal is not retried.
     */
    public static void assertRefusedOnce(String url, String payload, String reason) {
        assertThat(TestDatabase.queryOn(url, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + payload + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains(reason);
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }
}
