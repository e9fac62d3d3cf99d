package org.safepath.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.safepath.dashboards.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code safepath dashboard --elasticsearch URL [--port 8080] [--host 127.0.0.1]}: the live dashboard against any
 * Elasticsearch (credentials and CA from the environment, as for every command), on loopback unless told otherwise.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Serve the live dashboard against any Elasticsearch.")
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    ElasticsearchOption elasticsearch;
    @Option(names = "--port", defaultValue = "8080", description = "Default: ${DEFAULT-VALUE}.")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address to listen on; loopback unless told otherwise. Default: ${DEFAULT-VALUE}.")
    String host;

    @Override
    public Integer call() throws Exception {
        String es = elasticsearch.elasticsearch();
        CountDownLatch stopped = new CountDownLatch(1);
        try (DashboardServer d = DashboardServer.start(host, port, es, elasticsearch.settings())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "safepath-dashboard-stop"));
            System.out.println("The dashboard is at " + d.url() + " (reading " + es + "). Ctrl-C stops it.");
            stopped.await();
        }
        return 0;
    }
}
