package io.metadataops.backup.storage;

import io.metadataops.backup.EngineException;
import io.metadataops.backup.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
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

  private final boolean sync;

  /** {@code sync} false: files stay in the page cache until the kernel writes them back. */
  public LocalStorage(boolean sync) {
    this.sync = sync;
  }

  @Override
  public StorageOutput create(Location location) {
    Path path = path(location);
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new FileOutput(path, channel, location, sync);
    } catch (FileAlreadyExistsException e) {
      throw new EngineException(
          ErrorCode.ALREADY_EXISTS,
          location + " already exists and is never overwritten: choose another output name",
          e);
    } catch (IOException e) {
      throw StorageErrors.io("create", location, e);
    }
  }

  @Override
  public InputStream open(Location location) {
    try {
      return Files.newInputStream(path(location));
    } catch (NoSuchFileException e) {
      throw new EngineException(
          ErrorCode.NOT_FOUND, location + " does not exist: check --input/--location", e);
    } catch (IOException e) {
      throw StorageErrors.io("read", location, e);
    }
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

  private static final class FileOutput extends StorageOutput {
    private final Path path;
    private final FileChannel channel;
    private final OutputStream out;
    private final Location location;
    private final boolean sync;
    private boolean done;

    FileOutput(Path path, FileChannel channel, Location location, boolean sync) {
      this.path = path;
      this.channel = channel;
      this.out = Channels.newOutputStream(channel);
      this.location = location;
      this.sync = sync;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
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
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      if (sync) {
        // One sync at the end: syncing every few MB while writing measured no faster (the disk's
        // write time is what a synced backup adds; docs/backup-engine.md).
        try {
          channel.force(true);
        } catch (IOException e) {
          throw StorageErrors.io("sync", location, e);
        }
      }
      try {
        out.close();
      } catch (IOException e) {
        throw StorageErrors.io("write", location, e);
      }
      if (sync) {
        try {
          syncDirectoryOf(path);
        } catch (IOException e) {
          throw StorageErrors.io("sync the directory of", location, e);
        }
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
      try {
        out.close();
      } catch (IOException ignored) {
        // the file is deleted below anyway
      }
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // best effort: the original failure is what the caller reports
      }
    }
  }
}
