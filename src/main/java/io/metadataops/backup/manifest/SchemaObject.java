package io.metadataops.backup.manifest;

/**
 * A schema object other than a table that a backup carries, e.g. {@code view v_active} or {@code
 * function f(integer)}: restore and verify check that it exists after the load.
 */
public record SchemaObject(String kind, String name) implements Comparable<SchemaObject> {

  @Override
  public int compareTo(SchemaObject other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return kind + " " + name;
  }
}
