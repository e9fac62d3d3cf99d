package org.safepath.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.safepath.app.delivery.Deliveries;
import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.jobs.config.JobSettings;
import org.safepath.schemas.EventStream;

/**
 * {@code safepath dispatch}: delivers the alerts on the alerts topic by email and Teams/Slack webhooks, as the
 * delivery properties say ({@code --config}; see {@link Deliveries} and {@code Routes}), until stopped.
 */
final class DispatchCommand {

    private DispatchCommand() {
    }

    static int run(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("kafka", "registry", "elasticsearch", "config", "topic-prefix"), Set.of());
        String config = o.get("config", "SAFEPATH_DELIVERY_CONFIG", null);
        if (config == null) {
            throw new Options.UsageException("dispatch needs --config FILE: the delivery properties (routes, SMTP)");
        }
        Map<String, String> delivery = JobSettings.readProperties(Path.of(config));
        String kafka = required(o, "kafka", "SAFEPATH_KAFKA");
        String registry = required(o, "registry", "SAFEPATH_REGISTRY_URL");
        String es = required(o, "elasticsearch", "SAFEPATH_ES_URL");
        AtomicBoolean stop = new AtomicBoolean();
        try (Deliveries d = new Deliveries(delivery, kafka, new SchemaRegistryClient(RegistrySettings.fromEnvironment(registry)),
                ElasticsearchSettings.fromEnvironment(es), o.get("topic-prefix", null, EventStream.DEFAULT_TOPIC_PREFIX))) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true), "safepath-dispatch-stop"));
            System.out.println("Delivering alerts from " + EventStream.ALERTS.topic(o.get("topic-prefix", null, EventStream.DEFAULT_TOPIC_PREFIX))
                    + "; the delivery log is the index " + org.safepath.app.delivery.DeliveryLog.INDEX + ". Ctrl-C stops.");
            d.dispatcher().run(stop);
        }
        return 0;
    }

    private static String required(Options o, String name, String env) {
        String v = o.get(name, env, null);
        if (v == null) {
            throw new Options.UsageException("dispatch needs --" + name + " (or " + env + ")");
        }
        return v;
    }
}
