package io.syncline.capture;

import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Whether a capture's engine reads its change stream yet, from Debezium's streaming metrics
 * (the MBean {@code debezium.<connector>:type=connector-metrics,context=streaming,server=<capture>},
 * attribute {@code Connected}). The engine reports its task started before it knows where the
 * stream starts: a binary-log capture without an offset reads the server's position only in its
 * schema snapshot, seconds later, and a change committed in between is never read. So a capture
 * counts as capturing only from here on.
 */
final class StreamingConnection {

    private static final String PATTERN = "debezium.*:type=connector-metrics,context=streaming,*";

    private StreamingConnection() {
    }

    /**
     * True once the capture's engine reads its stream, false before; empty when the engine
     * publishes no streaming metrics (a runtime without the platform MBean server), where the
     * task's start is all there is to go by.
     */
    static Optional<Boolean> connected(String capture) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = server.queryNames(new ObjectName(PATTERN), null);
            for (ObjectName name : names) {
                if (capture.equals(name.getKeyProperty("server"))) {
                    return Optional.of(Boolean.TRUE.equals(server.getAttribute(name, "Connected")));
                }
            }
            return Optional.empty();
        } catch (JMException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
