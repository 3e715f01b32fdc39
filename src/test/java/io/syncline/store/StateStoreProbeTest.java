package io.syncline.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.syncline.testsupport.FaultProxy;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The state store's probe against PostgreSQL behind a fault proxy: it tells a partition within its bound, and the heal. */
class StateStoreProbeTest {

    @Test
    void aPartitionIsUnreachableWithinTheProbeTimeoutAndCountedOnce() throws Exception {
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (FaultProxy proxy = FaultProxy.before(TestDatabase.url()); AgroalDataSource store = pool(proxy.route(TestDatabase.url()))) {
            StateStoreProbe probe = new StateStoreProbe(store, Duration.ofSeconds(1), Duration.ofSeconds(1), meters,
                    Clock.systemUTC());
            probe.probe();
            assertThat(probe.reachable()).as("before the partition: %s", probe.lastError()).isTrue();

            proxy.partition();
            long started = System.nanoTime();
            probe.probe();
            probe.probe();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two probes, each bounded")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(probe.reachable()).isFalse();
            assertThat(probe.lastError()).isNotNull();
            assertThat(probe.unreachableSince()).isNotNull();
            assertThat(meters.get("syncline.store.unreachable").counter().count()).isEqualTo(1.0);
            assertThat(meters.get("syncline.store.reachable").gauge().value()).isZero();

            proxy.heal();
            probe.probe();
            assertThat(probe.reachable()).as("after the heal: %s", probe.lastError()).isTrue();
            assertThat(probe.unreachableSince()).isNull();
            assertThat(meters.get("syncline.store.reachable").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("syncline.store.unreachable").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void theProbeAnswersWhileEveryPooledConnectionIsBorrowed() throws Exception {
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AgroalDataSource store = pool(TestDatabase.url()); Connection first = store.getConnection();
                Connection second = store.getConnection()) {
            StateStoreProbe probe = new StateStoreProbe(store, Duration.ofSeconds(1), Duration.ofSeconds(1), meters,
                    Clock.systemUTC());
            long started = System.nanoTime();
            probe.probe();
            // a probe that borrowed would wait out the pool's acquisition timeout (2 s) and fail
            assertThat(probe.reachable()).as("with the pool exhausted: %s", probe.lastError()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            probe.stop();
        }
    }

    @Test
    void aStoppingApplicationCountsNoOutageWhenItsPoolCloses() throws Exception {
        TestDatabase.ensureDatabase(TestDatabase.url(), false);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AgroalDataSource store = pool(TestDatabase.url());
        StateStoreProbe probe = new StateStoreProbe(store, Duration.ofSeconds(1), Duration.ofSeconds(1), meters,
                Clock.systemUTC());
        probe.probe();
        assertThat(probe.reachable()).as("while running: %s", probe.lastError()).isTrue();

        // as Quarkus stops: the shutdown event, then the datasource closed
        probe.stop(new ShutdownEvent());
        store.close();
        probe.probe();

        assertThat(probe.reachable()).isTrue();
        assertThat(probe.lastError()).isNull();
        assertThat(meters.get("syncline.store.unreachable").counter().count()).isZero();
        assertThat(meters.get("syncline.store.reachable").gauge().value()).isEqualTo(1.0);
    }

    private static AgroalDataSource pool(String url) throws Exception {
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier();
        // as Quarkus makes the state store's pool: a connection the driver gave up on is dropped
        configuration.connectionPoolConfiguration().maxSize(2).acquisitionTimeout(Duration.ofSeconds(2))
                .exceptionSorter(new PostgreSQLExceptionSorter())
                .connectionFactoryConfiguration().jdbcUrl(url).connectionProviderClassName(StateStoreDriver.class.getName())
                .jdbcProperty("loginTimeout", "1")
                .principal(new NamePrincipal(TestDatabase.user()))
                .credential(new SimplePassword(TestDatabase.password()));
        return AgroalDataSource.from(configuration);
    }
}
