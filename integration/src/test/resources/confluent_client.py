"""An independent Confluent client (Debian's python3-confluent-kafka, legacy Avro serde with python3-avro).

produce BOOTSTRAP REGISTRY TOPIC SCHEMA_FILE EVENT_ID   writes one hospital-discharge event
consume BOOTSTRAP REGISTRY TOPIC COUNT                  reads COUNT records, prints each as a JSON line
"""
import datetime
import json
import sys

import avro.schema
from confluent_kafka import Consumer, Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def produce(bootstrap, registry, topic, schema_file, event_id):
    with open(schema_file) as f:
        schema = avro.schema.parse(f.read())
    serializer = MessageSerializer(CachedSchemaRegistryClient(registry))
    when = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.timezone.utc)
    record = {
        "event_id": event_id, "occurred_at": when, "recorded_at": when,
        "source_system": "python-confluent-kafka", "local_authority": "E06000054",
        "person": {"nhs_number": "9434765919", "council_person_id": None},
        "event_type": "DISCHARGE_READY", "hospital_site": "RNZ02", "pathway": "P3",
        "delay_reason_family": "CAPACITY", "delay_sub_reason": None, "close_reason": None,
    }
    value = serializer.encode_record_with_schema(topic, schema, record)
    producer = Producer({"bootstrap.servers": bootstrap})
    producer.produce(topic, value=value)
    if producer.flush(30) != 0:
        sys.exit("record not delivered")


def consume(bootstrap, registry, topic, count):
    serializer = MessageSerializer(CachedSchemaRegistryClient(registry))
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "python-" + topic,
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([topic])
    read = 0
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
    while read < count and datetime.datetime.now() < deadline:
        message = consumer.poll(1.0)
        if message is None or message.error():
            continue
        decoded = serializer.decode_message(message.value())
        print(json.dumps(decoded, default=str, sort_keys=True))
        read += 1
    consumer.close()
    if read < count:
        sys.exit("read %d of %d records" % (read, count))


if __name__ == "__main__":
    if sys.argv[1] == "produce":
        produce(*sys.argv[2:7])
    else:
        consume(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
