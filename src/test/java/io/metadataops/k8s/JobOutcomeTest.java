package io.metadataops.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Only what the engine reports counts: a completed engine Job without a result is a failure. */
@Tag("unit")
class JobOutcomeTest {

  private static final String RESULT =
      "{\"status\":\"Succeeded\",\"schemaVersion\":\"1.5.2\",\"tables\":3,\"rows\":10}";

  @Test
  void aCompletedEngineJobWithItsResultSucceedsWithIt() {
    JobOutcome outcome = JobOutcome.of(completed(EngineJob.CONTAINER), List.of(pod(RESULT)));
    assertThat(outcome).isInstanceOf(JobOutcome.Succeeded.class);
    assertThat(((JobOutcome.Succeeded) outcome).summary())
        .hasValueSatisfying(s -> assertThat(s.schemaVersion()).isEqualTo("1.5.2"));
  }

  @Test
  void aCompletedEngineJobWithoutAResultIsAFailureOfItsOwn() {
    for (List<Pod> pods : List.of(List.<Pod>of(), List.of(pod(null)), List.of(pod("not json")))) {
      JobOutcome outcome = JobOutcome.of(completed(EngineJob.CONTAINER), pods);
      assertThat(outcome).isInstanceOf(JobOutcome.Failed.class);
      JobOutcome.Failed failed = (JobOutcome.Failed) outcome;
      assertThat(failed.reason()).isEqualTo(JobOutcome.NO_RESULT);
      assertThat(failed.message()).contains("left no result").contains("kubectl logs job/j");
    }
  }

  @Test
  void theMigrationJobReportsNothingAndSucceedsOnItsExitCode() {
    assertThat(JobOutcome.of(completed("migrate"), List.of()))
        .isInstanceOf(JobOutcome.Succeeded.class);
  }

  private static Job completed(String container) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("j")
        .withNamespace("om")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName(container)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Complete")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Pod pod(String message) {
    return new PodBuilder()
        .withNewStatus()
        .addNewContainerStatus()
        .withName(EngineJob.CONTAINER)
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withMessage(message)
        .withFinishedAt("2026-12-07T03:00:00Z")
        .endTerminated()
        .endState()
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
