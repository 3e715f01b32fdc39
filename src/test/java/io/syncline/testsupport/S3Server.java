package io.syncline.testsupport;

import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * S3Proxy, an independent implementation of Amazon S3's API, in a JVM of its own: the jar with its
 * dependencies that the build copies to {@code target/servers/s3proxy.jar} (its Jetty 11 cannot share
 * the tests' class path), keeping its buckets in a temporary folder, on a free port, checking AWS
 * Signature V4 with {@link #ACCESS_KEY} and {@link #SECRET_KEY}.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "syncline-test";
    public static final String SECRET_KEY = "syncline-test-secret";
    public static final String REGION = "us-east-1";
    private static final Path JAR = Path.of("target/servers/s3proxy.jar");
    private static final Duration READY = Duration.ofSeconds(60);

    private final Path dir;
    private final int port;
    private final Process process;

    private S3Server(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts a server with no buckets; returns once it answers. */
    public static S3Server started() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: the build copies it (mvn generate-test-resources)");
        }
        try {
            Path dir = Files.createTempDirectory("syncline-s3");
            Files.createDirectories(dir.resolve("buckets"));
            int port = ServerCommand.freePort();
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem", "jclouds.filesystem.basedir=" + dir.resolve("buckets"), ""),
                    StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                    JAR.toAbsolutePath().toString(), "--properties", properties.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
            S3Server server = new S3Server(dir, port, process);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady() {
        try (S3Client client = client()) {
            Awaitility.await("S3Proxy on port " + port).atMost(READY).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("S3Proxy ended: " + Files.readString(dir.resolve("s3proxy.log")));
                        }
                        client.listBuckets();
                        return true;
                    });
        }
    }

    /** The address to give a system's {@code aws.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** A client of this server; the caller closes it. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION)).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Makes the buckets. */
    public void createBuckets(List<String> buckets) {
        try (S3Client client = client()) {
            buckets.forEach(bucket -> client.createBucket(request -> request.bucket(bucket)));
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        ServerCommand.delete(dir);
    }
}
