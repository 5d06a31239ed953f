package io.metadataops.backup.sql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Growable UTF-8 text kept as bytes: dump statements are built here and written out without being
 * encoded again.
 */
public final class TextBuffer {

  private byte[] bytes;
  private int length;

  public TextBuffer(int capacity) {
    bytes = new byte[capacity];
  }

  public TextBuffer append(char ascii) {
    if (length == bytes.length) {
      grow(1);
    }
    bytes[length++] = (byte) ascii;
    return this;
  }

  public TextBuffer append(byte[] utf8, int offset, int count) {
    if (length + count > bytes.length) {
      grow(count);
    }
    System.arraycopy(utf8, offset, bytes, length, count);
    length += count;
    return this;
  }

  public TextBuffer append(TextBuffer other) {
    return append(other.bytes, 0, other.length);
  }

  public TextBuffer append(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return append(utf8, 0, utf8.length);
  }

  /** Makes room for {@code count} more bytes. */
  public void reserve(int count) {
    if (length + count > bytes.length) {
      grow(count);
    }
  }

  public int length() {
    return length;
  }

  public void clear() {
    length = 0;
  }

  public void writeTo(DumpSink out) throws IOException {
    out.write(bytes, 0, length);
  }

  private void grow(int count) {
    bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
