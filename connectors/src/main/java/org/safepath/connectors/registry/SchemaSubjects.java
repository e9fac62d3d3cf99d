package org.safepath.connectors.registry;

import java.util.LinkedHashMap;
import java.util.Map;

import org.safepath.schemas.EventStream;

/**
 * Registers every stream's schema under its subject with BACKWARD compatibility set explicitly (registries
 * differ in their default; Apicurio's is NONE), so a producer can only evolve a schema in ways this
 * pipeline's readers still understand.
 */
public final class SchemaSubjects {
    public static final String COMPATIBILITY = "BACKWARD";

    private SchemaSubjects() {
    }

    /** Subject to schema id. */
    public static Map<String, Integer> registerAll(SchemaRegistryClient registry) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (EventStream s : EventStream.values()) {
            // Some registries (Apicurio) only take a subject's config once the subject exists.
            ids.put(s.subject(), registry.register(s.subject(), s.schema()));
            registry.setCompatibility(s.subject(), COMPATIBILITY);
        }
        return ids;
    }
}
