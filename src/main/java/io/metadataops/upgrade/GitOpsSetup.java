package io.metadataops.upgrade;

import java.util.Optional;

/**
 * Who may set the server's image, decided from who applies the server Deployment and the upgrade.
 * When a GitOps tool applies the Deployment, an image the operator sets is put back by the next
 * sync, possibly within a second (Argo CD self-heal), starting the previous server on the migrated
 * database. Then the image must come from Git, after the upgrade: the upgrade is applied by the
 * same tool in an earlier step, reports itself healthy only once the database is migrated, and the
 * operator waits for the tool to apply the new image.
 */
public sealed interface GitOpsSetup {

  /** The operator sets the images: nothing re-applies the Deployment. */
  record OperatorRollout() implements GitOpsSetup {}

  /**
   * Git sets the images after the upgrade's step.
   *
   * @param source who applies them, for people: {@code Argo CD application openmetadata}
   */
  record GitRollout(String source) implements GitOpsSetup {}

  /** A setup in which a sync could undo the upgrade; the message names the fix. */
  record Refused(String message) implements GitOpsSetup {}

  static GitOpsSetup assess(Manager server, Manager upgrade) {
    if (server instanceof Manager.ArgoCd argo) {
      return argoCd(argo, upgrade);
    }
    if (server instanceof Manager.Flux flux) {
      return upgrade instanceof Manager.Flux
          ? new GitRollout("Flux " + flux.kind() + " " + flux.name())
          : new Refused(
              "The server Deployment is applied by Flux "
                  + flux.kind()
                  + " "
                  + flux.name()
                  + ": its next reconciliation would put back the image the operator sets and"
                  + " start the previous server on the migrated database. Commit this"
                  + " MetadataUpgrade to a Kustomization that "
                  + flux.name()
                  + " dependsOn (with wait: true), and the new image in the same commit (README,"
                  + " GitOps).");
    }
    return new OperatorRollout();
  }

  private static GitOpsSetup argoCd(Manager.ArgoCd server, Manager upgrade) {
    String wave = "argocd.argoproj.io/sync-wave: \"" + (server.wave() - 1) + "\"";
    String applied =
        "The server Deployment is applied by Argo CD application " + server.application() + ". ";
    Optional<Manager.ArgoCd> upgradeApp =
        upgrade instanceof Manager.ArgoCd app ? Optional.of(app) : Optional.empty();
    if (upgradeApp.isEmpty()) {
      return new Refused(
          applied
              + "It would put back the image the operator sets (at once with self-heal, else at the"
              + " next sync) and start the previous server on the migrated database. Commit this"
              + " MetadataUpgrade to that application's source with the annotation "
              + wave
              + ", and the new image in the same commit (README, GitOps).");
    }
    Manager.ArgoCd app = upgradeApp.get();
    if (!app.application().equals(server.application())) {
      return new Refused(
          applied
              + "This MetadataUpgrade is applied by application "
              + app.application()
              + ", so "
              + server.application()
              + " would roll out the new image without waiting for it. Commit this"
              + " MetadataUpgrade to the source of "
              + server.application()
              + " with the annotation "
              + wave
              + ".");
    }
    if (app.hook()) {
      return new Refused(
          applied
              + "This MetadataUpgrade is a sync hook: every sync attempt deletes and recreates"
              + " hooks, which would delete a running upgrade and its Jobs. Remove the annotation"
              + " argocd.argoproj.io/hook and set "
              + wave
              + " instead.");
    }
    if (app.wave() >= server.wave()) {
      return new Refused(
          applied
              + "This MetadataUpgrade is in sync wave "
              + app.wave()
              + ", not before the Deployment's ("
              + server.wave()
              + "), so the new image would be applied before the backup. Set "
              + wave
              + " on this MetadataUpgrade.");
    }
    return new GitRollout("Argo CD application " + server.application());
  }
}
