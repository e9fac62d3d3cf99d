package org.safepath.app;

import java.nio.file.Path;
import java.util.List;

/** The backtest as a library call, for code (and tests) outside the command line. */
public final class SafePathBacktest {
    private SafePathBacktest() {
    }

    /** Runs the jobs over the event files as of {@code asOf} and writes the indicator documents to {@code out}; returns the rejected count. */
    public static long run(List<Path> events, long asOf, Path out) throws Exception {
        return BacktestCommand.run(events, asOf, null, null, out, null, null).rejected();
    }
}
