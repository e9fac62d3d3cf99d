package org.safepath.jobs.pipeline;

import java.io.Serializable;
import java.util.List;

import org.safepath.jobs.config.JobSettings;

/**
 * One indicator domain (discharge, safeguarding, …): the streams it reads first, and its logic from those
 * events to indicator values, alert candidates and dead letters. The live job, the backtest and the demo loop
 * over {@link Domains#all()}; nothing outside a domain's package names it.
 */
public interface Domain extends Serializable {

    /** Short name, used in operator uids and logs (e.g. {@code discharge}). */
    String name();

    /** The input streams this domain owns the reading of (others may read them too, through {@link DomainInputs}). */
    List<StreamInput<?>> inputs(JobSettings settings);

    /** The domain's operators, from its inputs to its outputs. */
    DomainOutputs wire(DomainInputs inputs, JobSettings settings);
}
