package io.metadataops.backup.storage;

import java.io.OutputStream;

/**
 * A new object being written. {@link #close()} publishes it; {@link #abort()} discards what was
 * written so a failed backup leaves nothing that a retry would refuse to overwrite.
 */
public abstract class StorageOutput extends OutputStream {

  public abstract void abort();
}
