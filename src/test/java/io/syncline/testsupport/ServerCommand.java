package io.syncline.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The commands that make and run a private database server for the tests ({@link PrivatePostgres},
 * {@link PrivateMariaDb}): each run to its end within a bound, its output in the failure's message.
 */
final class ServerCommand {

    private ServerCommand() {
    }

    /** Whether the tests run as root: then a server that refuses root runs as its own account. */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code command}, as {@code account} when the tests run as root ({@code runuser}), else as the tests' own user. */
    static List<String> as(String account, List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", account, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Runs the command to its end within {@code bound}; its output, or a failure naming it and what it said. */
    static String run(Duration bound, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            // the output is read after the end: these commands say little, and a full pipe cannot block them
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + bound.toSeconds() + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Hands a folder to {@code account} when the tests run as root, so that a server running as it may write there. */
    static void own(Path folder, String account) {
        if (root()) {
            run(Duration.ofSeconds(30), List.of("chown", "-R", account + ":", folder.toString()));
        }
    }

    /** Removes a folder and everything in it; nothing when it does not exist. */
    static void delete(Path folder) {
        if (Files.exists(folder)) {
            RouteFolders.delete(folder);
        }
    }

    /** A TCP port nothing listens on now. */
    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free local port", e);
        }
    }
}
