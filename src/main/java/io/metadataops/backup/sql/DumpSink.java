package io.metadataops.backup.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The dump being written: UTF-8 text, plus raw bytes for data that is already encoded. */
public final class DumpSink {

  private final OutputStream out;
  private long bytes;

  public DumpSink(OutputStream out) {
    this.out = out;
  }

  public DumpSink append(CharSequence text) throws IOException {
    byte[] encoded = text.toString().getBytes(StandardCharsets.UTF_8);
    out.write(encoded);
    bytes += encoded.length;
    return this;
  }

  /** One ASCII character. */
  public DumpSink append(char c) throws IOException {
    out.write(c);
    bytes++;
    return this;
  }

  public void write(byte[] data, int offset, int length) throws IOException {
    out.write(data, offset, length);
    bytes += length;
  }

  /** Uncompressed bytes written so far. */
  public long bytes() {
    return bytes;
  }
}
