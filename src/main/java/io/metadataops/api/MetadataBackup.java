package io.metadataops.api;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A consistent backup of an OpenMetadata database, taken once by a Job. Its spec cannot change: a
 * backup describes one dump, and a silently ignored edit would mislead whoever restores it.
 */
@ValidationRule(
    value = "self.spec == oldSelf.spec",
    message = "spec is immutable once created: create a new MetadataBackup instead")
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"mdbackup", "mdb"})
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.database", type = STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = STRING)
@AdditionalPrinterColumn(name = "Size", jsonPath = ".status.size", type = STRING)
@AdditionalPrinterColumn(name = "Schema", jsonPath = ".status.schemaVersion", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
public class MetadataBackup extends CustomResource<MetadataBackupSpec, MetadataBackupStatus>
    implements Namespaced {}
