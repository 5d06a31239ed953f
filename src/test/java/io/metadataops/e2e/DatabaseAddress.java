package io.metadataops.e2e;

/** Where a database server answers, as seen from one side (the pods or the test JVM). */
public record DatabaseAddress(String host, int port) {}
