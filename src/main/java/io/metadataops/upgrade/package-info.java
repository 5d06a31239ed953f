/**
 * Pure upgrade logic of the {@code MetadataUpgrade} resource: OpenMetadata version rules, the
 * breaking-change catalogue and the step planner of the upgrade state machine.
 *
 * <p>Nothing here talks to Kubernetes or a database: the controller reads the cluster into an
 * {@link io.metadataops.upgrade.UpgradeSnapshot}, asks {@link
 * io.metadataops.upgrade.UpgradePlanner} for the next {@link io.metadataops.upgrade.UpgradeAction},
 * applies it and patches the status. That split keeps every decision unit-testable and every
 * cluster write in one small place.
 */
package io.metadataops.upgrade;
