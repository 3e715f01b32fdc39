package io.syncline.failure;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database answers no retry can mend. */
class PermanentFailureTest {

    @Test
    void valuesTheDatabaseOrItsDriverRefuseArePermanent() {
        assertThat(PermanentFailure.isPermanent(new SQLException("value too long", "22001"))).isTrue();
        assertThat(PermanentFailure.isPermanent(new SQLException("null value", "23502"))).isTrue();
        // PostgreSQL's driver asked to bind a Map or a List to a plain column
        assertThat(PermanentFailure.isPermanent(new IllegalStateException("write failed",
                new SQLException("Can't infer the SQL type to use for an instance of java.util.HashMap", "07006")))).isTrue();
    }

    @Test
    void aRaceOrAnOutageIsRetried() {
        assertThat(PermanentFailure.isPermanent(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(PermanentFailure.isPermanent(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(PermanentFailure.isPermanent(new SQLException("no state"))).isFalse();
    }
}
