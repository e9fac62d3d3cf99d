package org.safepath.jobs.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.safepath.connectors.config.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The job's options on a command line, made by picocli from the {@link JobOptions} themselves, so {@code flink run}
 * and {@code safepath run} take the same names, types, defaults and descriptions, and one duration syntax
 * ({@link Durations}). A bad value is refused naming its option; indicator parameters go in {@code --config} or
 * {@code --set domain.indicator.parameter=value}.
 */
public final class JobCommandLine {

    /** The repeatable option for indicator parameters on the command line. */
    public static final String SET = "--set";

    private JobCommandLine() {
    }

    /** Adds {@code --key} for every job option but those in {@code leaveOut}, and {@link #SET}. */
    public static void addOptions(CommandSpec spec, Set<String> leaveOut) {
        for (ConfigOption<?> option : JobOptions.ALL) {
            if (leaveOut.contains(option.key())) {
                continue;
            }
            Class<?> type = option.hasDefaultValue() ? option.defaultValue().getClass() : String.class;
            OptionSpec.Builder b = OptionSpec.builder("--" + option.key())
                    .description(new HtmlFormatter().format(option.description())
                            + (option.hasDefaultValue() ? " Default: " + shown(option.defaultValue()) : ""))
                    .paramLabel(label(option.key(), type))
                    .arity("1");
            if (type == Duration.class) {
                b.type(Duration.class).converters(new DurationConverter());
            } else if (type == Integer.class) {
                b.type(Integer.class);
            } else if (type == Boolean.class) {
                b.type(Boolean.class);
            } else {
                b.type(String.class);
            }
            spec.addOption(b.build());
        }
        spec.addOption(OptionSpec.builder(SET).type(Map.class).auxiliaryTypes(String.class, String.class).paramLabel("PARAMETER=VALUE")
                .description("An indicator parameter, e.g. discharge.nctr_delay_21_plus.red=8 or "
                        + "waiting.over_threshold.high_days.E06000054=5 (a council's own); repeatable.")
                .build());
    }

    /**
     * The job options and indicator parameters given on the command line, as {@link JobSettings#fromMap} takes them,
     * over those of the {@code --config} file when one is given.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> given(CommandSpec spec) {
        Map<String, String> given = new LinkedHashMap<>();
        for (ConfigOption<?> option : JobOptions.ALL) {
            OptionSpec o = spec.findOption("--" + option.key());
            if (o == null || o.getValue() == null) {
                continue;
            }
            Object v = o.getValue();
            given.put(option.key(), v instanceof Duration d ? d.toMillis() + "ms" : v.toString());
        }
        Map<String, String> set = spec.findOption(SET).getValue();
        if (set != null) {
            given.putAll(set);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        if (given.containsKey(JobOptions.CONFIG.key())) {
            merged.putAll(JobSettings.readProperties(java.nio.file.Path.of(given.get(JobOptions.CONFIG.key()))));
        }
        merged.putAll(given);
        return merged;
    }

    /** {@code flink run safepath-jobs-*-flink.jar [options]}: the settings those arguments give, or a message naming the option. */
    public static JobSettings settings(String... args) {
        return JobSettings.fromMap(given(parsed(true, args)));
    }

    /** The job's options parsed from {@code args}; a wrong one fails naming it (with the usage, where {@code usage}). */
    private static CommandSpec parsed(boolean usage, String... args) {
        CommandSpec spec = CommandSpec.create().name("safepath-jobs");
        addOptions(spec, Set.of(JobOptions.BACKTEST.key()));
        try {
            new CommandLine(spec).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + (usage ? "\n" + e.getCommandLine().getUsageMessage() : ""), e);
        }
        return spec;
    }

    /**
     * Checks job arguments as {@link #settings} reads them (every option's name, every value's type, every indicator
     * parameter against the catalogue) without reading a {@code --config} file or the environment: deployment files
     * are checked with it.
     */
    public static void check(String... args) {
        CommandSpec spec = parsed(false, args);
        Map<String, String> set = spec.findOption(SET).getValue();
        if (set != null) {
            org.safepath.schemas.IndicatorCatalogue.withOverrides(set);
        }
    }

    private static String label(String key, Class<?> type) {
        if (type == Duration.class) {
            return "DURATION";
        }
        if (type == Integer.class) {
            return "N";
        }
        if (type == Boolean.class) {
            return "true|false";
        }
        return switch (key) {
            case "kafka" -> "HOST:PORT";
            case "registry", "elasticsearch" -> "URL";
            case "config", "pseudonym-key-file" -> "FILE";
            default -> "TEXT";
        };
    }

    /** A default as the command line would take it: 7d, 10m, 30s. */
    private static String shown(Object value) {
        if (!(value instanceof Duration d)) {
            return String.valueOf(value);
        }
        long seconds = d.toSeconds();
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        return seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3_600 == 0 ? seconds / 3_600 + "h"
                : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
