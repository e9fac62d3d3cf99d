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

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.safepath.connectors.config.SafePathEnvironment;
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
        Duration bufferTimeout,
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

    public static JobSettings fromMap(Map<String, String> values) {
        Configuration o = JobOptions.parse(values);
        Map<String, String> overrides = new LinkedHashMap<>();
        values.forEach((k, val) -> {
            if (JobOptions.isIndicatorOverride(k)) {
                overrides.put(k, val);
            }
        });
        boolean backtest = o.get(JobOptions.BACKTEST);
        JobSettings s = new JobSettings(
                backtest ? null : required(o, JobOptions.KAFKA, SafePathEnvironment.KAFKA),
                backtest ? null : required(o, JobOptions.REGISTRY, SafePathEnvironment.REGISTRY_URL),
                backtest ? null : required(o, JobOptions.ELASTICSEARCH, SafePathEnvironment.ES_URL),
                o.getOptional(JobOptions.PSEUDONYM_KEY_FILE).orElse(System.getenv(org.safepath.jobs.ingest.Pseudonymiser.KEY_FILE_ENV)),
                o.get(JobOptions.GROUP_PREFIX),
                o.get(JobOptions.TOPIC_PREFIX),
                o.get(JobOptions.PARALLELISM),
                o.get(JobOptions.CHECKPOINT_INTERVAL),
                o.get(JobOptions.BUFFER_TIMEOUT),
                o.get(JobOptions.ALLOWED_LATENESS),
                o.get(JobOptions.FUTURE_TOLERANCE),
                o.get(JobOptions.OUT_OF_ORDERNESS),
                o.get(JobOptions.SOURCE_IDLENESS),
                o.get(JobOptions.CAUGHT_UP_WITHIN),
                o.get(JobOptions.EMIT_GRANULARITY),
                o.get(JobOptions.EARLY_RESULTS),
                Map.copyOf(overrides),
                UNBOUNDED, true);
        s.catalogue(); // an unknown indicator or parameter fails here, at start-up
        if (s.caughtUpWithin().compareTo(s.allowedLateness()) > 0) {
            throw new IllegalArgumentException("caught-up-within (" + s.caughtUpWithin() + ") must not exceed allowed-lateness ("
                    + s.allowedLateness() + "): a partition deemed caught up could otherwise turn history into dead letters");
        }
        return s;
    }

    private static String required(Configuration o, ConfigOption<String> option, SafePathEnvironment env) {
        String value = o.getOptional(option).orElse(env.value());
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + option.key() + " (or " + env.variable() + "): " + option.description());
        }
        return value;
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
                topicPrefix, parallelism, checkpointInterval, bufferTimeout, allowedLateness, futureTolerance, outOfOrderness,
                sourceIdleness, caughtUpWithin, emitGranularity, false, indicatorOverrides, asOf, history);
    }
}
