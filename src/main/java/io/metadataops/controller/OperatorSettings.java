package io.metadataops.controller;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the running operator, read from its configuration ({@code metadataops.*}, or the
 * {@code METADATAOPS_*} environment variables) by the wiring, built by hand in tests. The engine
 * image is the operator's own image by default, so Jobs run the very engine this operator was
 * tested with.
 *
 * @param engineImage image of backup, restore and inspect Jobs
 * @param recheckInterval how often a resource waiting on something not watched is looked at again
 * @param jobPodLabels labels added to the pods of every Job the operator creates (engine and
 *     migration Jobs), from {@code METADATAOPS_JOB_POD_LABELS="k1=v1,k2=v2"}; labels a resource
 *     sets itself ({@code podLabels}) win over them, and the operator's selection labels win over
 *     both. Used by the local demo to hand Job pods to its runner; in a cluster, for example, to
 *     opt every Job out of a service mesh at once.
 */
public record OperatorSettings(
    String engineImage, Duration recheckInterval, Map<String, String> jobPodLabels) {

  public static final String DEFAULT_ENGINE_IMAGE = "ghcr.io/metadataops/metadata-operator:0.1.0";

  public OperatorSettings {
    jobPodLabels =
        jobPodLabels == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(jobPodLabels));
  }

  public OperatorSettings(String engineImage, Duration recheckInterval) {
    this(engineImage, recheckInterval, Map.of());
  }

  /** {@code "k1=v1,k2=v2"} (blanks around entries ignored) as an ordered map. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      String trimmed = entry.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "METADATAOPS_JOB_POD_LABELS: expected key=value, got '" + trimmed + "'");
      }
      labels.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
    }
    return labels;
  }
}
