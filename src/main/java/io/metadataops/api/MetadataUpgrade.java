package io.metadataops.api;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.INTEGER;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Moves one OpenMetadata server Deployment to a target version, with backup and rollback. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"mdupgrade", "mdu"})
@AdditionalPrinterColumn(name = "Server", jsonPath = ".spec.server.deploymentName", type = STRING)
@AdditionalPrinterColumn(name = "Database", jsonPath = ".status.database", type = STRING)
@AdditionalPrinterColumn(name = "From", jsonPath = ".status.fromVersion", type = STRING)
@AdditionalPrinterColumn(name = "To", jsonPath = ".spec.targetVersion", type = STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = STRING)
@AdditionalPrinterColumn(name = "Downtime", jsonPath = ".status.downtime.seconds", type = INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
public class MetadataUpgrade extends CustomResource<MetadataUpgradeSpec, MetadataUpgradeStatus>
    implements Namespaced {}
