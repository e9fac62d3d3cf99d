package org.safepath.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A lock file that one process at a time holds: what keeps two SafePath commands off one data folder. */
public final class FolderLock {

    private FolderLock() {
    }

    /**
     * Takes the lock on {@code file} (created if missing), or returns null when another process, or this one, holds
     * it. Held until its channel is closed or the JVM exits: keep it reachable meanwhile.
     */
    public static FileLock tryLock(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
        }
        return lock;
    }
}
