package org.safepath.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.safepath.schemas.IndicatorCatalogue;

/**
 * Everything a SafePath job is configured by, from arguments ({@code --kafka URL}), a properties file
 * ({@code --config FILE}) or the environment ({@code SAFEPATH_KAFKA}...), in that order of precedence.
 * Keys that name an indicator ({@code discharge.nctr_delay_21_plus.red=8}) override the catalogue.
 */
public record JobSettings(
        String kafkaBootstrapServers,
        String registryUrl,
        String elasticsearchUrl,
        String pseudonymKeyFile,
        String consumerGroupPrefix,
        String topicPrefix,
        int parallelism,
        Duration checkpointInterval,
        Duration allowedLateness,
        Duration futureTolerance,
        Duration outOfOrderness,
        Duration sourceIdleness,
        Duration caughtUpWithin,
        Duration emitGranularity,
        boolean earlyResults,
        Map<String, String> indicatorOverrides,
        long evaluateUntil,
        boolean writeHistory) implements Serializable {

    /** No bound: a live job evaluates for as long as time goes on. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public IndicatorCatalogue catalogue() {
        return IndicatorCatalogue.withOverrides(indicatorOverrides);
    }

    public static JobSettings fromArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument '" + args[i] + "': options are --name value");
            }
            String name = args[i].substring(2);
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        Map<String, String> merged = new LinkedHashMap<>();
        if (values.containsKey("config")) {
            merged.putAll(readProperties(Path.of(values.get("config"))));
        }
        merged.putAll(values);
        return fromMap(merged);
    }

    public static JobSettings fromMap(Map<String, String> values) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> overrides = new LinkedHashMap<>();
        v.forEach((k, val) -> {
            if (k.contains(".") && Character.isLowerCase(k.charAt(0)) && k.split("\\.").length >= 3) {
                overrides.put(k, val);
            }
        });
        JobSettings s = new JobSettings(
                v.containsKey("backtest") ? null : required(v, "kafka", "SAFEPATH_KAFKA"),
                v.containsKey("backtest") ? null : required(v, "registry", "SAFEPATH_REGISTRY_URL"),
                v.containsKey("backtest") ? null : required(v, "elasticsearch", "SAFEPATH_ES_URL"),
                optional(v, "pseudonym-key-file", "SAFEPATH_PSEUDONYM_KEY_FILE", null),
                optional(v, "group-prefix", null, "safepath"),
                optional(v, "topic-prefix", null, org.safepath.schemas.EventStream.DEFAULT_TOPIC_PREFIX),
                Integer.parseInt(optional(v, "parallelism", null, "2")),
                Duration.parse(optional(v, "checkpoint-interval", null, "PT10S")),
                Duration.parse(optional(v, "allowed-lateness", null, "P7D")),
                Duration.parse(optional(v, "future-tolerance", null, "PT10M")),
                Duration.parse(optional(v, "out-of-orderness", null, "PT1M")),
                Duration.parse(optional(v, "source-idleness", null, "PT30S")),
                Duration.parse(optional(v, "caught-up-within", null, "P1D")),
                Duration.parse(optional(v, "emit-granularity", null, "PT1M")),
                Boolean.parseBoolean(optional(v, "early-results", null, "true")),
                Map.copyOf(overrides),
                UNBOUNDED, true);
        s.catalogue(); // an unknown indicator or parameter fails here, at start-up
        if (s.caughtUpWithin().compareTo(s.allowedLateness()) > 0) {
            throw new IllegalArgumentException("caught-up-within (" + s.caughtUpWithin() + ") must not exceed allowed-lateness ("
                    + s.allowedLateness() + "): a partition deemed caught up could otherwise turn history into dead letters");
        }
        return s;
    }

    private static String required(Map<String, String> v, String name, String env) {
        String value = optional(v, name, env, null);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name + (env != null ? " (or " + env + ")" : ""));
        }
        return value;
    }

    private static String optional(Map<String, String> v, String name, String env, String fallback) {
        if (v.containsKey(name)) {
            return v.get(name);
        }
        if (env != null && System.getenv(env) != null) {
            return System.getenv(env);
        }
        return fallback;
    }

    public static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }


    /** A bounded run (a backtest) evaluates nothing after this event time. */
    public JobSettings evaluatingUntil(long asOf, boolean history) {
        return new JobSettings(kafkaBootstrapServers, registryUrl, elasticsearchUrl, pseudonymKeyFile, consumerGroupPrefix,
                topicPrefix, parallelism, checkpointInterval, allowedLateness, futureTolerance, outOfOrderness, sourceIdleness,
                caughtUpWithin, emitGranularity, false, indicatorOverrides, asOf, history);
    }
}
