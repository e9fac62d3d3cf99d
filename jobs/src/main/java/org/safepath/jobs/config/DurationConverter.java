package org.safepath.jobs.config;

import java.time.Duration;

import org.safepath.connectors.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** SafePath's one duration syntax ({@link Durations}) for picocli; picocli's message names the option. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        try {
            return Durations.parse("", text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + text + "' is not a duration; give one such as " + Durations.EXAMPLES);
        }
    }
}
