package io.syncline.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command that runs a test class's {@code main} in a JVM of its own, on the tests' class path. */
public final class ChildJvm {

    private ChildJvm() {
    }

    public static List<String> command(Class<?> main, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        // surefire runs the tests from a manifest-only jar; its property holds the real class path
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(arguments));
        return command;
    }
}
