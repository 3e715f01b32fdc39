package io.syncline.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka broker, KRaft in combined mode (broker and controller in one process), forked from
 * the Maven jars on the test class path ({@code kafka.Kafka}): storage formatted in a temporary
 * directory, free ports, eight partitions a topic. No Docker. {@link #kill()} ends it as a crash
 * would; {@link #start()} again brings it back on the same ports and log.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private Process process;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** Formats a new broker's storage and starts it; returns once it answers. */
    public static KafkaBroker started() {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("syncline-kafka"), freePort(), freePort());
            broker.format();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private Path properties() throws IOException {
        Path file = dir.resolve("server.properties");
        Properties server = new Properties();
        server.setProperty("process.roles", "broker,controller");
        server.setProperty("node.id", "1");
        server.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        server.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        server.setProperty("controller.listener.names", "CONTROLLER");
        server.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        server.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        server.setProperty("log.dirs", dir.resolve("log").toString());
        server.setProperty("num.partitions", "8");
        server.setProperty("offsets.topic.replication.factor", "1");
        server.setProperty("offsets.topic.num.partitions", "4");
        server.setProperty("transaction.state.log.replication.factor", "1");
        server.setProperty("transaction.state.log.min.isr", "1");
        server.setProperty("share.coordinator.state.topic.replication.factor", "1");
        server.setProperty("group.initial.rebalance.delay.ms", "0");
        try (var out = Files.newBufferedWriter(file)) {
            server.store(out, "Syncline test broker");
        }
        return file;
    }

    private void format() throws IOException {
        Process tool = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                properties().toString()).redirectOutput(dir.resolve("format.log").toFile()).redirectErrorStream(true).start();
        try {
            if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
                tool.destroyForcibly();
                throw new IllegalStateException("formatting the broker's storage failed: "
                        + Files.readString(dir.resolve("format.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the broker process (again after {@link #kill()}) and waits until it answers. */
    public void start() {
        try {
            process = java("kafka.Kafka", properties().toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker stopped: " + Files.readString(dir.resolve("broker.log")));
            }
            try (Admin admin = admin()) {
                return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            }
        });
    }

    /** SIGKILL: the broker stops as a crash would, with what it had not flushed to disk. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the broker stops answering, its connections open, as on a machine that hangs. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen broker goes on where it stopped. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates {@code topic} with eight partitions, as an operator does before the first start. */
    public void createTopic(String topic) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 8, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the topic " + topic + " could not be created", e);
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /**
     * Waits until consumer group {@code group} has committed, on every partition of {@code topic},
     * the topic's end: everything sent before was consumed (and, the inbox's offsets being
     * committed after the apply, applied or handed to the dispatcher).
     */
    public static void awaitConsumed(String bootstrapServers, String topic, String group, Duration atMost) {
        java.util.concurrent.atomic.AtomicReference<Object> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
                try {
                    Map<TopicPartition, Long> lag = lag(bootstrapServers, topic, group);
                    last.set(lag);
                    return lag.isEmpty();
                } catch (Exception e) {
                    last.set(e);
                    return false;
                }
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the inbox topic " + topic + " at " + bootstrapServers + " was not consumed by "
                    + group + " within " + atMost + "; last seen: " + last.get(), e);
        }
    }

    /** The partitions of {@code topic} whose end {@code group} has not committed, and by how many records. */
    private static Map<TopicPartition, Long> lag(String bootstrapServers, String topic, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                    .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(partitions.stream()
                    .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()))).all().get();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return partitions.stream().filter(p -> ends.get(p).offset() > (committed.get(p) == null ? 0 : committed.get(p).offset()))
                    .collect(Collectors.toMap(Function.identity(),
                            p -> ends.get(p).offset() - (committed.get(p) == null ? 0 : committed.get(p).offset())));
        }
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
