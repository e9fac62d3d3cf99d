package org.safepath.app;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.safepath.connectors.elasticsearch.ElasticsearchSettings;
import org.safepath.dashboards.DashboardServer;

/**
 * {@code safepath dashboard --elasticsearch URL [--port 8080] [--host 127.0.0.1]}: the live dashboard against any
 * Elasticsearch (credentials and CA from the environment, as for every command), on loopback unless told otherwise.
 */
final class DashboardCommand {

    private DashboardCommand() {
    }

    static int run(List<String> args) throws Exception {
        Options o = new Options(args, Set.of("elasticsearch", "port", "host"), Set.of());
        String es = o.get("elasticsearch", "SAFEPATH_ES_URL", null);
        if (es == null) {
            throw new Options.UsageException("dashboard needs --elasticsearch URL (or SAFEPATH_ES_URL)");
        }
        int port;
        try {
            port = Integer.parseInt(o.get("port", null, "8080"));
        } catch (NumberFormatException e) {
            throw new Options.UsageException("--port takes a number, not '" + o.get("port", null, "") + "'");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (DashboardServer d = DashboardServer.start(o.get("host", null, "127.0.0.1"), port, es, ElasticsearchSettings.fromEnvironment(es))) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "safepath-dashboard-stop"));
            System.out.println("The dashboard is at " + d.url() + " (reading " + es + "). Ctrl-C stops it.");
            stopped.await();
        }
        return 0;
    }
}
