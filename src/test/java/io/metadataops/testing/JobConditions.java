package io.metadataops.testing;

import io.fabric8.kubernetes.api.model.batch.v1.Job;

/** What the Job controller says about a Job, for assertions. */
public final class JobConditions {

  private JobConditions() {}

  /** Whether the Job has condition {@code type} (Complete, Failed ...) set True. */
  public static boolean isTrue(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
