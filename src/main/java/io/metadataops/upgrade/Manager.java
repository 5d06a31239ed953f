package io.metadataops.upgrade;

import java.util.Map;
import java.util.Optional;

/**
 * Who applies an object from a source of truth other than this operator, read from the marks each
 * tool leaves on what it applies. A tool that applies the server Deployment from Git or a chart
 * would put back whatever the operator changes there.
 */
public sealed interface Manager {

  /**
   * Argo CD's annotation tracking (its default since 3.0): {@code
   * <app>:<group>/<kind>:<ns>/<name>}.
   */
  String ARGO_CD_TRACKING_ID = "argocd.argoproj.io/tracking-id";

  /** The tracking label of an Argo CD configured for label tracking with its own label name. */
  String ARGO_CD_INSTANCE_LABEL = "argocd.argoproj.io/instance";

  String ARGO_CD_SYNC_WAVE = "argocd.argoproj.io/sync-wave";
  String ARGO_CD_HOOK = "argocd.argoproj.io/hook";
  String FLUX_KUSTOMIZATION = "kustomize.toolkit.fluxcd.io/name";
  String FLUX_HELM_RELEASE = "helm.toolkit.fluxcd.io/name";
  String HELM_RELEASE_ANNOTATION = "meta.helm.sh/release-name";
  String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  /** Nothing re-applies the object: changes the operator makes stay. */
  record None() implements Manager {}

  /**
   * An Argo CD Application.
   *
   * @param wave the object's sync wave ({@code 0} when not annotated)
   * @param hook the object is a sync hook (recreated by every sync attempt)
   */
  record ArgoCd(String application, int wave, boolean hook) implements Manager {}

  /** A Flux Kustomization or HelmRelease, e.g. {@code Kustomization openmetadata}. */
  record Flux(String kind, String name) implements Manager {}

  /** A Helm release applied by hand or by a pipeline running {@code helm upgrade}. */
  record Helm(String release) implements Manager {}

  /** Argo CD first (it may render a Helm chart), then Flux (likewise), then Helm. */
  static Manager of(Map<String, String> labels, Map<String, String> annotations) {
    Optional<String> application =
        Optional.ofNullable(annotations.get(ARGO_CD_TRACKING_ID))
            .map(id -> id.substring(0, Math.max(id.indexOf(':'), 0)))
            .filter(app -> !app.isEmpty())
            .or(() -> Optional.ofNullable(labels.get(ARGO_CD_INSTANCE_LABEL)));
    if (application.isPresent()) {
      return new ArgoCd(
          application.get(), syncWave(annotations), annotations.containsKey(ARGO_CD_HOOK));
    }
    if (labels.containsKey(FLUX_KUSTOMIZATION)) {
      return new Flux("Kustomization", labels.get(FLUX_KUSTOMIZATION));
    }
    if (labels.containsKey(FLUX_HELM_RELEASE)) {
      return new Flux("HelmRelease", labels.get(FLUX_HELM_RELEASE));
    }
    if (annotations.containsKey(HELM_RELEASE_ANNOTATION)
        || "Helm".equalsIgnoreCase(labels.get(MANAGED_BY_LABEL))) {
      return new Helm(annotations.getOrDefault(HELM_RELEASE_ANNOTATION, "(unnamed)"));
    }
    return new None();
  }

  /** An unparseable wave is Argo CD's own error to report; it counts as the default here. */
  private static int syncWave(Map<String, String> annotations) {
    try {
      return Integer.parseInt(annotations.getOrDefault(ARGO_CD_SYNC_WAVE, "0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
