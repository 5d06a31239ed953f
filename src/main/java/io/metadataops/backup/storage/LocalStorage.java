package io.metadataops.backup.storage;

import io.metadataops.backup.EngineException;
import io.metadataops.backup.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** Files on a mounted volume. New files are created with CREATE_NEW: never overwritten. */
public final class LocalStorage implements Storage {

  @Override
  public StorageOutput create(Location location) {
    Path path = path(location);
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      OutputStream out =
          Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new FileOutput(path, out, location);
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
    private final OutputStream out;
    private final Location location;
    private boolean done;

    FileOutput(Path path, OutputStream out, Location location) {
      this.path = path;
      this.out = out;
      this.location = location;
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
      try {
        out.close();
      } catch (IOException e) {
        throw StorageErrors.io("write", location, e);
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
