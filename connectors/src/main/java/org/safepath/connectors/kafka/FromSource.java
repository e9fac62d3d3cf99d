package org.safepath.connectors.kafka;

/** An event that remembers the Kafka record it came from, so a later dead letter can point back to it. */
public interface FromSource {
    void setSource(String topic, int partition, long offset);
}
