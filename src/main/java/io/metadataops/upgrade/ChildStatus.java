package io.metadataops.upgrade;

import java.util.Objects;
import java.util.Optional;

/**
 * What the controller observed of a child the upgrade creates: the inspection Job, the {@code
 * MetadataBackup}, the migration Job or the {@code MetadataRestore}.
 *
 * <p>Children are named deterministically from the upgrade and its attempt ({@link
 * UpgradeProgress#attempt()}), so after a restart the controller finds the child it created before
 * and the planner waits on it instead of creating a second one.
 *
 * @param name the child's name, once it exists
 * @param message the child's own error message when it failed, empty otherwise
 */
public record ChildStatus(ChildState state, Optional<String> name, String message) {

  public enum ChildState {
    ABSENT,
    /** Created and not finished; a Job being deleted (foreground) also counts as running. */
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  public static final ChildStatus ABSENT = new ChildStatus(ChildState.ABSENT, Optional.empty(), "");

  public ChildStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message");
  }

  public static ChildStatus running(String name) {
    return new ChildStatus(ChildState.RUNNING, Optional.of(name), "");
  }

  public static ChildStatus succeeded(String name) {
    return new ChildStatus(ChildState.SUCCEEDED, Optional.of(name), "");
  }

  public static ChildStatus failed(String name, String message) {
    return new ChildStatus(ChildState.FAILED, Optional.of(name), message);
  }
}
