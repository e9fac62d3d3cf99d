package org.safepath.jobs.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * The checkpoints a job run on this machine ({@code safepath demo}, {@code safepath run}) keeps in its data
 * folder, so that a stop and a start carry on with every open episode, window and dedupe marker, from the
 * Kafka offsets the state belongs with. Flink writes {@code <folder>/<job id>/chk-<n>/_metadata}; a cancelled
 * job keeps its last checkpoints, and the next start resumes from the newest complete one.
 */
public final class RetainedCheckpoints {

    private static final int KEPT_PER_JOB = 2;

    /**
     * The shape of the job graph's state. Raised when a release changes operators or their state incompatibly
     * (v2: sources shared by stream, one aggregator state per key): checkpoints of an older shape are left alone,
     * and the job starts afresh from the Kafka topics instead of failing to restore.
     */
    static final String STATE_LAYOUT = "v2";

    private final Path root;
    private final Path folder;

    public RetainedCheckpoints(Path folder) {
        this.root = folder.toAbsolutePath();
        this.folder = root.resolve(STATE_LAYOUT);
    }

    /** The newest complete checkpoint (a {@code chk-n} folder with its {@code _metadata}), if any run left one. */
    public Optional<Path> latest() {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.find(folder, 3, (p, a) -> p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparing(RetainedCheckpoints::modified)).map(Path::getParent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the checkpoint folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes checkpoints under the folder, keeps them when the job is cancelled, and resumes from the newest
     * one; the folders of older runs are removed. Returns the checkpoint resumed from, if any.
     */
    public Optional<Path> configure(Configuration conf) {
        Optional<Path> resumeFrom = latest();
        resumeFrom.ifPresent(this::removeRunsOtherThan);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, folder.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, KEPT_PER_JOB);
        resumeFrom.ifPresent(chk -> conf.set(StateRecoveryOptions.SAVEPOINT_PATH, chk.toUri().toString()));
        return resumeFrom;
    }

    /** Forgets every checkpoint, of every layout: the next start begins with empty state ({@code --reset}). */
    public void clear() throws IOException {
        if (Files.exists(root)) {
            deleteRecursively(root);
        }
    }

    private void removeRunsOtherThan(Path checkpoint) {
        Path keep = checkpoint.getParent();
        try (Stream<Path> runs = Files.list(folder)) {
            for (Path run : runs.filter(p -> !p.equals(keep) && Files.isDirectory(p)).toList()) {
                deleteRecursively(run);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot tidy the checkpoint folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
