package io.metadataops.backup.storage;

import com.sun.nio.file.ExtendedOpenOption;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Files on a mounted volume. New files are created with CREATE_NEW: never overwritten. Unless told
 * otherwise, a file is published durably: closing it syncs its content and then its directory, so a
 * dump that a backup reports complete survives a crash of the node right after.
 */
public final class LocalStorage implements Storage {

  private static final int MIN_ALIGNMENT = 4096;
  private static final int MAX_ALIGNMENT = 64 * 1024;

  private final boolean sync;
  private final boolean directIo;

  /**
   * {@code sync} false: a new file may still be in the page cache or the disk's write cache when it
   * is closed.
   */
  public LocalStorage(boolean sync) {
    this(sync, true);
  }

  /** {@code directIo} false: through the page cache even where direct I/O would work. */
  LocalStorage(boolean sync, boolean directIo) {
    this.sync = sync;
    this.directIo = directIo;
  }

  @Override
  public StorageOutput create(Location location) {
    Path path = path(location);
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // Created apart from the channel that writes it: a filesystem that refuses direct I/O
      // refuses it after creating the file, and this file is then ours to write all the same.
      FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
    } catch (FileAlreadyExistsException e) {
      throw new EngineException(
          ErrorCode.ALREADY_EXISTS,
          location + " already exists and is never overwritten: choose another output name",
          e);
    } catch (IOException e) {
      throw StorageErrors.io("create", location, e);
    }
    try {
      OpenChannel open = openChannel(path, StandardOpenOption.WRITE);
      return new FileOutput(path, open, location, sync);
    } catch (IOException e) {
      deleteQuietly(path);
      throw StorageErrors.io("create", location, e);
    }
  }

  @Override
  public InputStream open(Location location) {
    Path path = path(location);
    try {
      OpenChannel open = openChannel(path, StandardOpenOption.READ);
      return new ReadAhead(open.channel(), open.alignment(), "file-reader");
    } catch (NoSuchFileException e) {
      throw new EngineException(
          ErrorCode.NOT_FOUND, location + " does not exist: check --input/--location", e);
    } catch (IOException e) {
      throw StorageErrors.io("read", location, e);
    }
  }

  /** A channel and the alignment its reads and writes need (1: none). */
  private record OpenChannel(FileChannel channel, int alignment) {}

  /**
   * Dumps are written once and read once, far larger than what a cache could keep: direct I/O
   * spares the kernel's copy into the page cache and the memory it takes (docs/backup-engine.md,
   * "Direct I/O"). Where the filesystem refuses direct I/O, the page cache it is.
   */
  private OpenChannel openChannel(Path path, StandardOpenOption mode) throws IOException {
    if (directIo) {
      try {
        long blockSize = Files.getFileStore(path).getBlockSize();
        if (blockSize > 0 && Long.bitCount(blockSize) == 1 && blockSize <= MAX_ALIGNMENT) {
          int alignment = (int) Math.max(MIN_ALIGNMENT, blockSize);
          return new OpenChannel(
              FileChannel.open(path, mode, ExtendedOpenOption.DIRECT), alignment);
        }
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException | UnsupportedOperationException e) {
        // not supported here: the page cache it is
      }
    }
    return new OpenChannel(FileChannel.open(path, mode), 1);
  }

  @Override
  public InputStream open(Location location, ObjectInfo expected) {
    ObjectInfo now =
        stat(location)
            .orElseThrow(
                () ->
                    new EngineException(
                        ErrorCode.NOT_FOUND, location + " disappeared while being read"));
    if (!now.equals(expected)) {
      throw new EngineException(
          ErrorCode.INTEGRITY, location + " changed while being verified: retry");
    }
    return open(location);
  }

  @Override
  public Optional<ObjectInfo> stat(Location location) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(path(location), BasicFileAttributes.class);
      return Optional.of(new ObjectInfo(attrs.size(), attrs.lastModifiedTime().toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw StorageErrors.io("stat", location, e);
    }
  }

  @Override
  public boolean delete(Location location) {
    try {
      return Files.deleteIfExists(path(location));
    } catch (IOException e) {
      throw StorageErrors.io("delete", location, e);
    }
  }

  private static Path path(Location location) {
    if (location instanceof Location.Local local) {
      return local.path();
    }
    throw new IllegalArgumentException("not a local location: " + location);
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort: the original failure is what the caller reports
    }
  }

  private static final class FileOutput extends StorageOutput {
    private final Path path;
    private final FileChannel channel;
    private final WriteBehind out;
    private final Location location;
    private final boolean sync;
    private boolean done;

    FileOutput(Path path, OpenChannel open, Location location, boolean sync) {
      this.path = path;
      this.channel = open.channel();
      this.out = new WriteBehind(channel, open.alignment(), "file-writer");
      this.location = location;
      this.sync = sync;
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw StorageErrors.io("write", location, e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw StorageErrors.io("write", location, e);
      }
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      step("write", out::close);
      if (sync) {
        // One sync at the end: syncing every few MB while writing measured no faster (the disk's
        // write time is what a synced backup adds; docs/backup-engine.md).
        step("sync", () -> channel.force(true));
      }
      step("write", channel::close);
      if (sync) {
        step("sync the directory of", () -> syncDirectoryOf(path));
      }
    }

    private interface IoStep {
      void run() throws IOException;
    }

    /** Runs one step of closing the file; its failure is a storage error naming the step. */
    private void step(String action, IoStep step) {
      try {
        step.run();
      } catch (IOException e) {
        throw StorageErrors.io(action, location, e);
      }
    }

    /** The new file's directory entry: without it a synced file can still vanish in a crash. */
    private static void syncDirectoryOf(Path file) throws IOException {
      Path directory = file.toAbsolutePath().getParent();
      try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      }
    }

    @Override
    public void abort() {
      done = true;
      out.discard();
      try {
        channel.close();
      } catch (IOException ignored) {
        // the file is deleted below anyway
      }
      deleteQuietly(path);
    }
  }
}
