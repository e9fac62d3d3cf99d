package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.safepath.app.files.EventJson;
import org.safepath.schemas.EventStream;

class EventsDocTest {

    @Test
    void everyExampleInDocsEventsMdParsesAndEveryEventTypeHasOne() throws Exception {
        Path doc = Path.of(System.getProperty("safepath.root", "..")).resolve("docs/events.md");
        List<String> examples = Files.readAllLines(doc).stream().filter(l -> l.startsWith("{")).toList();
        Set<String> seen = new HashSet<>();
        for (String line : examples) {
            EventJson.Parsed p = EventJson.parse(line);
            if (p.record().hasField("event_type")) {
                seen.add(p.stream().streamName() + "/" + p.record().get("event_type"));
            }
        }
        for (EventStream s : List.of(EventStream.HOSPITAL_DISCHARGE, EventStream.SAFEGUARDING, EventStream.CARE_JOURNEY, EventStream.BROKERAGE)) {
            Schema types = s.schema().getField("event_type").schema();
            for (String symbol : types.getEnumSymbols()) {
                if (!symbol.equals("UNKNOWN")) {
                    assertThat(seen).as("docs/events.md has an example of %s %s", s.streamName(), symbol).contains(s.streamName() + "/" + symbol);
                }
            }
        }
    }
}
