package io.metadataops.api;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Puts a backup back into an OpenMetadata database, through a Job. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"mdrestore", "mdr"})
@AdditionalPrinterColumn(name = "Backup", jsonPath = ".spec.backupName", type = STRING)
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.database", type = STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = STRING)
@AdditionalPrinterColumn(name = "Schema", jsonPath = ".status.schemaVersion", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
public class MetadataRestore extends CustomResource<MetadataRestoreSpec, MetadataRestoreStatus>
    implements Namespaced {}
