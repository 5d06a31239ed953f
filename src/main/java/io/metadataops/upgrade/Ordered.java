package io.metadataops.upgrade;

/** A version that reads as "before" and "after" rather than as signs of {@code compareTo}. */
interface Ordered<T> extends Comparable<T> {

  default boolean isBefore(T other) {
    return compareTo(other) < 0;
  }

  default boolean isAfter(T other) {
    return compareTo(other) > 0;
  }
}
