package org.safepath.connectors.kafka;

/** What the source emits for one Kafka record: the event, or the dead letter that says why not. */
public class Ingested<T> {
    public T event;
    public DeadLetterRecord deadLetter;

    public Ingested() {
    }

    public static <T> Ingested<T> of(T event) {
        Ingested<T> i = new Ingested<>();
        i.event = event;
        return i;
    }

    public static <T> Ingested<T> rejected(DeadLetterRecord deadLetter) {
        Ingested<T> i = new Ingested<>();
        i.deadLetter = deadLetter;
        return i;
    }
}
