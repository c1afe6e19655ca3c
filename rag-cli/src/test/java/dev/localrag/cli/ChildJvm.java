package dev.localrag.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code rag ARGS} in a new JVM on the test's classpath (a fast-starting one). */
final class ChildJvm {

    private ChildJvm() {}

    static List<String> rag(Path home, String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + home,
                "-cp",
                classpath,
                Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
