package org.safepath.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Backtest and replay over event files as library calls, for code (and tests) outside the command line. */
public final class SafePathFiles {
    private SafePathFiles() {
    }

    /** Runs the jobs over the event files as of {@code asOf} and writes the indicator documents to {@code out}; returns the rejected count. */
    public static long backtest(List<Path> events, long asOf, Path out) throws Exception {
        return BacktestCommand.run(events, asOf, null, null, out, null, null).rejected();
    }

    /** As {@link #backtest(List, long, Path)}, also writing the alerts raised up to {@code asOf} to {@code alertsOut}. */
    public static long backtest(List<Path> events, long asOf, Path out, Path alertsOut) throws Exception {
        return BacktestCommand.run(events, asOf, null, null, out, null, alertsOut).rejected();
    }

    /** Publishes the event files to their topics in event-time order; returns the command's exit code. */
    public static int replay(List<Path> events, String kafka, String registry) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--kafka", kafka, "--registry", registry, "--events"));
        events.forEach(p -> args.add(p.toString()));
        return SafePath.execute(args.toArray(String[]::new));
    }
}
