package org.safepath.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import org.safepath.app.delivery.Deliveries;
import org.safepath.connectors.registry.RegistrySettings;
import org.safepath.connectors.registry.SchemaRegistryClient;
import org.safepath.jobs.config.JobSettings;
import org.safepath.schemas.EventStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath dispatch}: delivers the alerts on the alerts topic by email and Teams/Slack webhooks, as the
 * delivery properties say ({@code --config}; see {@link Deliveries} and {@code Routes}), until stopped.
 */
@Command(name = "dispatch", mixinStandardHelpOptions = true,
        description = {"Deliver the alerts topic by email and Teams/Slack webhooks, as the delivery properties say, until stopped.",
                "Routes by audience and recipient, SMTP and webhooks: docs/alert-delivery.md."})
final class DispatchCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "${env:SAFEPATH_DELIVERY_CONFIG}",
            description = "The delivery properties: routes, SMTP, webhooks (or SAFEPATH_DELIVERY_CONFIG).")
    Path config;
    @Option(names = "--topic-prefix", defaultValue = EventStream.DEFAULT_TOPIC_PREFIX, description = "Default: ${DEFAULT-VALUE}.")
    String topicPrefix;
    @Mixin
    KafkaOptions kafka;
    @Mixin
    ElasticsearchOption es;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new UsageException("--config FILE (or SAFEPATH_DELIVERY_CONFIG) is required: the delivery properties (routes, SMTP)");
        }
        Map<String, String> delivery = JobSettings.readProperties(config);
        AtomicBoolean stop = new AtomicBoolean();
        try (Deliveries d = new Deliveries(delivery, kafka.kafka(), new SchemaRegistryClient(RegistrySettings.fromEnvironment(kafka.registry())),
                es.settings(), topicPrefix)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop.set(true), "safepath-dispatch-stop"));
            System.out.println("Delivering alerts from " + EventStream.ALERTS.topic(topicPrefix)
                    + "; the delivery log is the index " + org.safepath.app.delivery.DeliveryLog.INDEX + ". Ctrl-C stops.");
            d.dispatcher().run(stop);
        }
        return 0;
    }
}
