package org.safepath.jobs.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.safepath.connectors.config.Durations;
import org.safepath.schemas.EventStream;

/**
 * Every option a SafePath job takes, as Flink's typed {@link ConfigOption}s: one place for names, types, defaults
 * and descriptions. {@link #parse} refuses an option it does not know, naming it (and the one meant, when the
 * spelling is close), and a value it cannot read, naming its option; a misspelt {@code alowed-lateness} can no longer
 * be ignored in silence. Keys with three dotted parts ({@code discharge.nctr_delay_21_plus.red}) are indicator
 * overrides, checked against the catalogue by {@link JobSettings}.
 */
public final class JobOptions {

    public static final ConfigOption<String> KAFKA = key("kafka").stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port] (or SAFEPATH_KAFKA).");
    public static final ConfigOption<String> REGISTRY = key("registry").stringType().noDefaultValue()
            .withDescription("Confluent-compatible schema registry base URL (or SAFEPATH_REGISTRY_URL).");
    public static final ConfigOption<String> ELASTICSEARCH = key("elasticsearch").stringType().noDefaultValue()
            .withDescription("Elasticsearch URL (or SAFEPATH_ES_URL).");
    public static final ConfigOption<String> PSEUDONYM_KEY_FILE = key("pseudonym-key-file").stringType().noDefaultValue()
            .withDescription("File holding the pseudonymisation secret (or SAFEPATH_PSEUDONYM_KEY_FILE / SAFEPATH_PSEUDONYM_KEY).");
    public static final ConfigOption<String> CONFIG = key("config").stringType().noDefaultValue()
            .withDescription("A properties file with any of these options and indicator overrides.");
    public static final ConfigOption<String> GROUP_PREFIX = key("group-prefix").stringType().defaultValue("safepath")
            .withDescription("Prefix of the Kafka consumer group ids.");
    public static final ConfigOption<String> TOPIC_PREFIX = key("topic-prefix").stringType()
            .defaultValue(EventStream.DEFAULT_TOPIC_PREFIX).withDescription("Prefix of the input topics (several councils on one cluster).");
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism").intType().defaultValue(2)
            .withDescription("Parallelism of every operator.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint-interval").durationType()
            .defaultValue(Duration.ofSeconds(10)).withDescription("How often state and Kafka offsets are checkpointed.");
    public static final ConfigOption<Duration> BUFFER_TIMEOUT = key("buffer-timeout").durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("How long a record may wait between operators for a fuller network buffer (Flink's default: 100ms).");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = key("allowed-lateness").durationType()
            .defaultValue(Duration.ofDays(7)).withDescription("Events further behind the stream are dead-lettered as TOO_LATE.");
    public static final ConfigOption<Duration> FUTURE_TOLERANCE = key("future-tolerance").durationType()
            .defaultValue(Duration.ofMinutes(10)).withDescription("Events further in the future than this are rejected.");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("out-of-orderness").durationType()
            .defaultValue(Duration.ofMinutes(1)).withDescription("How far behind the newest event the watermark stays.");
    public static final ConfigOption<Duration> SOURCE_IDLENESS = key("source-idleness").durationType()
            .defaultValue(Duration.ofSeconds(30)).withDescription("A caught-up partition quiet this long follows the clock.");
    public static final ConfigOption<Duration> CAUGHT_UP_WITHIN = key("caught-up-within").durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("A partition counts as caught up when its newest event is this recent (at most allowed-lateness).");
    public static final ConfigOption<Duration> EMIT_GRANULARITY = key("emit-granularity").durationType()
            .defaultValue(Duration.ofMinutes(1)).withDescription("Exact values are written at most once per this step per key.");
    public static final ConfigOption<Boolean> EARLY_RESULTS = key("early-results").booleanType().defaultValue(true)
            .withDescription("Write provisional values within a second of an event, before the watermark passes it.");
    public static final ConfigOption<Boolean> BACKTEST = key("backtest").booleanType().defaultValue(false)
            .withDescription("A bounded run over event files: no Kafka, registry or Elasticsearch needed.");

    static final List<ConfigOption<?>> ALL = List.of(KAFKA, REGISTRY, ELASTICSEARCH, PSEUDONYM_KEY_FILE, CONFIG, GROUP_PREFIX,
            TOPIC_PREFIX, PARALLELISM, CHECKPOINT_INTERVAL, BUFFER_TIMEOUT, ALLOWED_LATENESS, FUTURE_TOLERANCE, OUT_OF_ORDERNESS,
            SOURCE_IDLENESS, CAUGHT_UP_WITHIN, EMIT_GRANULARITY, EARLY_RESULTS, BACKTEST);

    private JobOptions() {
    }

    /** The names of every option, as {@code --name} takes them on the command line. */
    public static List<String> keys() {
        return ALL.stream().map(ConfigOption::key).toList();
    }

    /** Whether a key names an indicator parameter ({@code domain.indicator.parameter}) rather than an option. */
    static boolean isIndicatorOverride(String key) {
        return key.split("\\.").length >= 3 && Character.isLowerCase(key.charAt(0));
    }

    /** The options among {@code values} as a typed configuration; indicator overrides are left out. */
    static Configuration parse(Map<String, String> values) {
        Map<String, ConfigOption<?>> known = new TreeMap<>();
        ALL.forEach(o -> known.put(o.key(), o));
        Map<String, String> options = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (isIndicatorOverride(e.getKey())) {
                continue;
            }
            ConfigOption<?> option = known.get(e.getKey());
            if (option == null) {
                throw new IllegalArgumentException(unknown(e.getKey(), known.keySet()));
            }
            // One duration syntax everywhere (Durations); Flink reads the normalised milliseconds.
            options.put(e.getKey(), isDuration(option) ? Durations.parse(e.getKey(), e.getValue()).toMillis() + "ms" : e.getValue());
        }
        Configuration conf = Configuration.fromMap(options);
        for (ConfigOption<?> option : ALL) {
            try {
                conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option.key() + " has a value it cannot take: '" + options.get(option.key())
                        + "' (" + option.description() + ")", e);
            }
        }
        return conf;
    }

    private static boolean isDuration(ConfigOption<?> option) {
        return option.hasDefaultValue() && option.defaultValue() instanceof Duration;
    }

    private static String unknown(String key, java.util.Collection<String> known) {
        List<String> close = new ArrayList<>();
        for (String k : known) {
            if (editDistance(k, key) <= 2) {
                close.add(k);
            }
        }
        return "Unknown option '" + key + "'" + (close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)")
                + ". Options: " + String.join(", ", known) + "; indicator thresholds as domain.indicator.parameter.";
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
