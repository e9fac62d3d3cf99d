package org.safepath.app;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line's options: {@code --name value} pairs and bare {@code --flags}, checked against what a command takes. */
final class Options {

    private final Map<String, String> values = new LinkedHashMap<>();

    Options(List<String> args, Set<String> valued, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("Unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            int eq = name.indexOf('=');
            if (eq > 0) {
                values.put(name.substring(0, eq), name.substring(eq + 1));
            } else if (flags.contains(name)) {
                values.put(name, "true");
            } else if (valued.contains(name)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("--" + name + " needs a value");
                }
                values.put(name, args.get(++i));
            } else {
                throw new UsageException("Unknown option --" + name);
            }
        }
    }

    /**
     * Takes {@code --name} followed by several values ({@code --events a.jsonl b/ c.avro}) out of {@code args}:
     * the values go to {@code values}, what remains is returned for the ordinary options.
     */
    static List<String> takeMany(List<String> args, String name, List<java.nio.file.Path> values) {
        List<String> rest = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--" + name)) {
                while (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    values.add(java.nio.file.Path.of(args.get(++i)));
                }
            } else {
                rest.add(args.get(i));
            }
        }
        if (values.isEmpty()) {
            throw new UsageException("--" + name + " needs at least one file or folder");
        }
        return rest;
    }

    String get(String name, String env, String fallback) {
        if (values.containsKey(name)) {
            return values.get(name);
        }
        String fromEnv = env == null ? null : System.getenv(env);
        return fromEnv != null ? fromEnv : fallback;
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    Duration duration(String name, Duration fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return org.safepath.connectors.config.Durations.parse("--" + name, v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
