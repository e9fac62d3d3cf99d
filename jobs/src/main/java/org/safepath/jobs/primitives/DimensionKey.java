package org.safepath.jobs.primitives;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dimension values an indicator aggregator is keyed by, named as in the catalogue (e.g. local_authority,
 * hospital_site, pathway), in a fixed order. A Flink POJO with value equality, so it can key a stream; read with
 * {@link #get}, never by splitting a string.
 */
public record DimensionKey(List<String> names, List<String> values) implements Serializable {

    public DimensionKey {
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("Dimension names " + names + " and values " + values + " differ in length");
        }
        names = List.copyOf(names);
        values = new ArrayList<>(values);
    }

    /** {@code of("local_authority", "E06000054", "hospital_site", "RNZ02")}: names and values in turn. */
    public static DimensionKey of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Dimension names and values come in pairs");
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            names.add(namesAndValues[i]);
            values.add(namesAndValues[i + 1]);
        }
        return new DimensionKey(names, values);
    }

    public String get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("Key " + this + " has no dimension '" + name + "'");
        }
        return values.get(i);
    }

    public boolean has(String name) {
        return names.contains(name);
    }

    /** The same key with one dimension's value replaced (or added at the end). */
    public DimensionKey with(String name, String value) {
        List<String> n = new ArrayList<>(names);
        List<String> v = new ArrayList<>(values);
        int i = n.indexOf(name);
        if (i < 0) {
            n.add(name);
            v.add(value);
        } else {
            v.set(i, value);
        }
        return new DimensionKey(n, v);
    }

    /** The dimensions as a document holds them, in key order. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), values.get(i));
        }
        return m;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
