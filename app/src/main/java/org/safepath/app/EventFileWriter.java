package org.safepath.app;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.safepath.app.files.EventJson;
import org.safepath.simulator.SimulatedEvent;

/** Writes events as JSON Lines, one file per stream ({@code hospital-discharge.jsonl}...), in event-time order. */
final class EventFileWriter {
    private EventFileWriter() {
    }

    static Map<String, Integer> write(Path dir, List<SimulatedEvent> events) throws IOException {
        Files.createDirectories(dir);
        Map<String, BufferedWriter> writers = new HashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
            for (SimulatedEvent e : events) {
                String name = e.stream().streamName();
                BufferedWriter w = writers.get(name);
                if (w == null) {
                    w = Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8);
                    writers.put(name, w);
                }
                w.write(EventJson.write(e.stream(), (GenericRecord) e.record()));
                w.newLine();
                counts.merge(name, 1, Integer::sum);
            }
        } finally {
            for (BufferedWriter w : writers.values()) {
                w.close();
            }
        }
        return counts;
    }
}
