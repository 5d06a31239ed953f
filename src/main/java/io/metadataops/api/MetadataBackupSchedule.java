package io.metadataops.api;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.BOOLEAN;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.STRING;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Creates MetadataBackups on a cron schedule and prunes old ones. */
@Group(Api.GROUP)
@Version(Api.VERSION)
@ShortNames({"mdschedule", "mds"})
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = STRING)
@AdditionalPrinterColumn(name = "Suspend", jsonPath = ".spec.suspend", type = BOOLEAN)
@AdditionalPrinterColumn(
    name = "Last Success",
    jsonPath = ".status.lastSuccessfulTime",
    type = DATE)
@AdditionalPrinterColumn(name = "Next", jsonPath = ".status.nextScheduleTime", type = STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
public class MetadataBackupSchedule
    extends CustomResource<MetadataBackupScheduleSpec, MetadataBackupScheduleStatus>
    implements Namespaced {}
