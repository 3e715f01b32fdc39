package io.syncline.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What the build packaged, as Quarkus records it in {@code target/quarkus-artifact.properties}:
 * the packaged tests run that, a jar ({@code quarkus.package.jar}) on this JVM's {@code java} or
 * a native executable ({@code -Dnative}) as it is. A build of the native sources alone
 * ({@code -Dquarkus.native.sources-only=true}) leaves nothing to run: its sources are in
 * {@code target/native-sources}.
 */
public record PackagedArtifact(String type, Path path) {

    /**
     * The tag of the {@code …IT} classes that re-run a {@code @QuarkusTest} class on the packaged
     * application. They run with a native build, whose executable is compiled apart from the code
     * the {@code @QuarkusTest} classes ran (reflection, resources), and on request
     * ({@code -Dpackaged-reruns}); a jar build runs the same bytecode those classes ran.
     */
    public static final String RERUN = "packaged-rerun";

    /**
     * The lock ({@code @ResourceLock}) every {@code @QuarkusIntegrationTest} class holds: Quarkus's
     * launcher learns the application's address from its log, at one path for the whole test JVM
     * ({@code target/quarkus.log}), which a second launch would delete under the first. The
     * integration tests that start the artifact themselves run beside them.
     */
    public static final String LAUNCHER = "quarkus-integration-test-launcher";

    static final Path TARGET = Path.of("target");
    static final Path RECORD = TARGET.resolve("quarkus-artifact.properties");

    /** The artifact of the last build, or a failure saying how to make one. */
    public static PackagedArtifact built() {
        if (!Files.isRegularFile(RECORD)) {
            throw new IllegalStateException(RECORD + " is missing: package the application first (bin/test, or ./mvnw verify)");
        }
        Properties artifact = new Properties();
        try (Reader reader = Files.newBufferedReader(RECORD)) {
            artifact.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RECORD, e);
        }
        String type = artifact.getProperty("type", "");
        Path path = TARGET.resolve(artifact.getProperty("path", "")).toAbsolutePath();
        if (type.equals("appCDS")) {
            // a jar build that also made its AppCDS archive records the archive: the jar is beside it
            type = "jar";
            path = path.resolveSibling("quarkus-run.jar");
        }
        if (!type.equals("native-sources") && !Files.isRegularFile(path)) {
            throw new IllegalStateException(RECORD + " names " + path + " (" + type + "), which is missing: package the application again");
        }
        return new PackagedArtifact(type, path);
    }

    /** Whether the artifact runs on a JVM. */
    public boolean onJvm() {
        return type.endsWith("jar");
    }

    /**
     * The command that starts it with {@code options}: JVM options for a jar; for a native
     * executable those it takes too (system properties and heap sizes), the rest left out.
     */
    public List<String> command(List<String> options) {
        List<String> command = new ArrayList<>();
        switch (type) {
            case "jar", "uber-jar" -> {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(options);
                command.add("-jar");
                command.add(path.toString());
            }
            case "native" -> {
                command.add(path.toString());
                options.stream().filter(option -> option.startsWith("-D") || option.startsWith("-Xm")).forEach(command::add);
            }
            default -> throw new IllegalStateException("The build produced " + type + " (" + path + "), which cannot be run:"
                    + " package a jar (./mvnw package) or a native executable (./mvnw package -Dnative)");
        }
        return command;
    }

    /** The name of the running process's executable: {@code java}, or the native executable's. */
    public String processName() {
        return onJvm() ? "java" : path.getFileName().toString();
    }
}
