package io.metadataops.operator;

import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Annotations;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.InstallMode;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Link;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Maintainer;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata.Provider;
import io.quarkiverse.operatorsdk.annotations.SharedCSVMetadata;

/**
 * What OLM shows about the operator. Permissions, the Deployment and alm-examples are not here:
 * they are filled in from deploy/operator and examples/ so each has one source.
 */
@CSVMetadata(
    bundleName = "metadata-operator",
    displayName = "OpenMetadata Upgrade Operator",
    description =
        "Backs up, restores and upgrades OpenMetadata declaratively: a consistent database backup"
            + " before every upgrade, a review gate for the breaking changes crossed, one"
            + " migration Job with the server scaled to zero, a verified rollout, and an"
            + " automatic rollback (restore + previous image) when anything fails.",
    keywords = {"openmetadata", "backup", "restore", "upgrade", "mysql", "postgresql"},
    maturity = "alpha",
    provider = @Provider(name = "metadataops"),
    maintainers =
        @Maintainer(name = "metadataops maintainers", email = "maintainers@metadataops.io"),
    links = @Link(name = "Source", url = "https://github.com/metadataops/metadata-operator"),
    minKubeVersion = "1.30.0",
    annotations =
        @Annotations(
            capabilities = "Full Lifecycle",
            categories = "Database",
            containerImage = "ghcr.io/metadataops/metadata-operator:0.1.0",
            repository = "https://github.com/metadataops/metadata-operator"),
    installModes = {
      @InstallMode(type = "OwnNamespace"),
      @InstallMode(type = "SingleNamespace"),
      @InstallMode(type = "MultiNamespace"),
      @InstallMode(type = "AllNamespaces")
    })
public class OperatorBundleMetadata implements SharedCSVMetadata {}
