package io.metadataops.e2e;

import static io.metadataops.e2e.E2eImages.FROM;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.metadataops.api.BackupPhase;
import io.metadataops.api.MetadataBackup;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end scenarios with every pod real (see {@link RealNodeProvider}): the operator, the
 * databases, the stand-in servers and every Job run on the local control plane's real node, on
 * containerd and runc, from images built from this checkout. After each test, every pod the
 * scenarios' namespace has had (deleted ones included) must have run there.
 */
@Tag("node")
class RealNodeEndToEndIT extends EndToEndScenarios {

  @Override
  protected E2eCluster startCluster() throws Exception {
    return RealNodeProvider.start();
  }

  private RealNodeProvider node() {
    return (RealNodeProvider) cluster();
  }

  /** No pod of a scenario was simulated: each ran on the real node, in containerd. */
  @AfterEach
  void everyPodRanOnTheRealNode() {
    Collection<Pod> pods = node().pods();
    assertThat(pods).as("pods of the scenarios' namespace").isNotEmpty();
    long ran = 0;
    for (Pod pod : pods) {
      String what = "pod " + pod.getMetadata().getName();
      assertThat(pod.getSpec().getNodeName()).as(what + " node").isEqualTo(node().nodeName());
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (phase == null || "Pending".equals(phase)) {
        continue; // deleted before it started (a scale-down, a rollout)
      }
      List<ContainerStatus> containers = pod.getStatus().getContainerStatuses();
      assertThat(containers).as(what + " containers").isNotEmpty();
      for (ContainerStatus container : containers) {
        assertThat(container.getContainerID())
            .as(what + " container " + container.getName())
            .startsWith("containerd://");
        assertThat(container.getImageID()).as(what + " image").isNotBlank();
      }
      ran++;
    }
    assertThat(ran).as("pods that ran").isPositive();
    node().scaleDownServers();
  }

  @Test
  void theOperatorRunsAsAPodOfItsImageOnTheRealNode() {
    assertThat(node().operatorPods())
        .singleElement()
        .satisfies(
            pod -> {
              assertThat(pod.getSpec().getNodeName()).isEqualTo(node().nodeName());
              assertThat(pod.getSpec().getContainers().get(0).getImage())
                  .isEqualTo(E2eImages.OPERATOR);
              ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
              assertThat(status.getContainerID()).startsWith("containerd://");
              assertThat(status.getReady()).isTrue();
              assertThat(status.getRestartCount()).isZero();
              assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(185L);
            });
  }

  @Test
  void theBackupPodsLogShowsTheEngineProgress() throws SQLException {
    OpenMetadataInstance om = install(DatabaseKind.POSTGRESQL, "logs", FROM);
    String name = om.name();
    create(backup(name, om));
    MetadataBackup done = awaitBackup(name, BackupPhase.Succeeded);

    var namespace = cluster().namespace();
    Pod pod =
        namespace
            .client()
            .pods()
            .inNamespace(namespace.name())
            .withLabel("job-name", done.getStatus().jobName)
            .list()
            .getItems()
            .stream()
            .findFirst()
            .orElseThrow(() -> new AssertionError("no pod of Job " + done.getStatus().jobName));
    // What `kubectl logs` prints: the API server reads it from the kubelet.
    String log =
        namespace
            .client()
            .pods()
            .inNamespace(namespace.name())
            .withName(pod.getMetadata().getName())
            .getLog();
    assertThat(log)
        .contains("backing up 3 tables of ")
        .contains("backup complete: 3 tables, " + done.getStatus().rows + " rows")
        .contains(done.getStatus().sha256);
    assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID())
        .startsWith("containerd://");
  }
}
