package io.metadataops.backup.sql;

import io.metadataops.backup.common.ConnectionSpec;

/**
 * How a restore runs. {@code loadInto}: where the dump is executed, the target itself or a staging
 * schema that {@link Dialect#publish} moves into the target; {@code workers}: connections that load
 * rows and build indexes in parallel with each other (0: everything runs on the main connection);
 * {@code singleTransaction}: the main connection loads everything in one transaction that publish
 * commits; {@code dropExisting}: publish replaces what the target holds.
 */
public record RestorePlan(
    ConnectionSpec loadInto,
    int workers,
    boolean singleTransaction,
    String stagingSchema,
    boolean dropExisting) {}
