package io.metadataops.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.metadataops.api.MetadataBackup;
import io.metadataops.api.shared.JobOptions;
import io.metadataops.k8s.EngineJob;
import io.metadataops.k8s.ServerPod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class OperatorSettingsTest {

  @Test
  void jobPodLabelsParseFromKeyValueList() {
    assertThat(OperatorSettings.parseLabels("")).isEmpty();
    assertThat(OperatorSettings.parseLabels(" a=1 , b.io/c = x=y ,"))
        .containsExactly(Map.entry("a", "1"), Map.entry("b.io/c", "x=y"));
    assertThatThrownBy(() -> OperatorSettings.parseLabels("novalue"))
        .hasMessageContaining("METADATAOPS_JOB_POD_LABELS");
  }

  @Test
  void operatorLabelsAreOverlaidByTheResourceAndTheSelectionLabels() {
    MetadataBackup owner = new MetadataBackup();
    owner.setMetadata(
        new ObjectMetaBuilder().withName("b").withNamespace("ns").withUid("u").build());
    JobOptions options = new JobOptions();
    options.podLabels = Map.of("mesh", "off");
    Job job =
        new EngineJob(
                "j",
                "backup",
                owner,
                List.of("backup"),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                ServerPod.NONE,
                options,
                "img",
                Map.of("mesh", "on", "sim", "x", EngineJob.LABEL_COMPONENT, "nope"))
            .build();
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("mesh", "off")
        .containsEntry("sim", "x")
        .containsEntry(EngineJob.LABEL_COMPONENT, "backup")
        .containsEntry(EngineJob.LABEL_OWNER_KIND, "MetadataBackup");
    assertThat(job.getMetadata().getLabels())
        .containsEntry(EngineJob.LABEL_OWNER_KIND, "MetadataBackup");
    assertThat(EngineJob.selectorForOwnerKind(MetadataBackup.class))
        .isEqualTo(
            "app.kubernetes.io/managed-by=metadata-operator,metadataops.io/owner-kind=MetadataBackup");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            env -> {
              assertThat(env.getName()).isEqualTo("JAVA_OPTS");
              assertThat(env.getValue()).isEqualTo(EngineJob.ENGINE_JAVA_OPTS);
            });
  }
}
