package io.metadataops.operator;

import io.metadataops.controller.OperatorSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The operator's own configuration: {@code metadataops.*} properties, or their environment
 * variables ({@code METADATAOPS_ENGINE_IMAGE}, {@code METADATAOPS_RECHECK_INTERVAL}, {@code
 * METADATAOPS_JOB_POD_LABELS}) as the Deployment in deploy/operator sets them.
 */
@ConfigMapping(prefix = "metadataops")
public interface OperatorConfig {

  /** Image of the backup, restore and inspect Jobs. */
  @WithDefault(OperatorSettings.DEFAULT_ENGINE_IMAGE)
  String engineImage();

  /** How often a resource waiting on something not watched is looked at again. */
  @WithDefault("30s")
  Duration recheckInterval();

  /** Labels for the pods of every Job the operator creates, as {@code k1=v1,k2=v2}. */
  Optional<String> jobPodLabels();

  default OperatorSettings settings() {
    return new OperatorSettings(
        engineImage(), recheckInterval(), OperatorSettings.parseLabels(jobPodLabels().orElse("")));
  }
}
