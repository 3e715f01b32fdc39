package io.syncline.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of the state store a webhook sender hears as 503 "retry later". */
class StoreOutageTest {

    @ParameterizedTest(name = "SQLState {0} -> outage {1}")
    @CsvSource({
            "08001, true", // connection refused: the server is down
            "08006, true", // connection failure: broken mid-statement
            "08003, true", // the pooled connection was closed
            "57P01, true", // terminated by the administrator: a fast shutdown or restart
            "57P02, true", // crash shutdown
            "57P03, true", // the server is starting up or shutting down
            "23505, false", // unique violation: a fault of the data, not an outage
            "42P01, false", // undefined table
            "57014, false", // statement cancelled (timeout): the server is there
    })
    void sqlStateTellsAnOutage(String sqlState, boolean outage) {
        SQLException failure = new SQLException("failure " + sqlState, sqlState);
        assertThat(StoreOutage.isOutage(failure)).isEqualTo(outage);
        assertThat(StoreOutage.isOutage(new IllegalStateException("wrapped", failure))).isEqualTo(outage);
    }

    @Test
    void connectionExceptionTypesAreOutagesWhateverTheirState() {
        assertThat(StoreOutage.isOutage(new SQLTransientConnectionException("pool gave up"))).isTrue();
        assertThat(StoreOutage.isOutage(new SQLNonTransientConnectionException("closed"))).isTrue();
        assertThat(StoreOutage.isOutage(new SQLException("no state"))).isFalse();
        assertThat(StoreOutage.isOutage(new RuntimeException("not SQL"))).isFalse();
        assertThat(StoreOutage.isOutage(null)).isFalse();
    }

    @Test
    void aConnectionThePoolCannotGiveOrAReadThatTimesOutIsAnOutage() {
        assertThat(StoreOutage.isOutage(new SQLException("Acquisition timeout while waiting for new connection",
                new java.util.concurrent.TimeoutException()))).isTrue();
        assertThat(StoreOutage.isOutage(new SQLException("Sorry, acquisition timeout!"))).isTrue();
        assertThat(StoreOutage.isOutage(new SQLException("An I/O error occurred while sending to the backend.", "08006",
                new java.net.SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(StoreOutage.isOutage(new IllegalStateException(new java.net.SocketTimeoutException()))).isTrue();
    }

    @Test
    void aConnectionThatCouldNotBeMadeIsAnOutageButARefusedLoginIsNot() {
        SQLException interrupted = new SQLException("Something unusual has occurred to cause the driver to fail", "99999",
                new RuntimeException("Interrupted while attempting to connect."));
        assertThat(StoreOutage.isOutage(interrupted)).isFalse();
        assertThat(StoreOutage.isOutage(StateStoreDriver.connectionFailure(interrupted))).isTrue();
        SQLException wrongPassword = new SQLException("password authentication failed", "28P01");
        assertThat((Object) StateStoreDriver.connectionFailure(wrongPassword)).isSameAs(wrongPassword);
    }
}
