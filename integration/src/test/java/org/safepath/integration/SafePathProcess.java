package org.safepath.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@code safepath} command as its own JVM, as an operator runs it, with what it prints kept in a file. */
final class SafePathProcess {

    private SafePathProcess() {
    }

    /**
     * Starts {@code safepath ARGS}; {@code environment}, where given, replaces every SAFEPATH_ variable of this JVM's;
     * {@code jvmOptions} go before the class.
     */
    static Process start(Path output, Map<String, String> environment, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.safepath.app.SafePath"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        if (environment != null) {
            builder.environment().keySet().removeIf(k -> k.startsWith("SAFEPATH_"));
            builder.environment().putAll(environment);
        }
        return builder.start();
    }

    /** The last lines a process printed, for a failure's message. */
    static String tail(Path output) {
        try {
            List<String> all = Files.readAllLines(output);
            return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
