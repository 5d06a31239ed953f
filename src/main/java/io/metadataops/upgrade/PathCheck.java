package io.metadataops.upgrade;

import java.util.List;

/** The verdict of {@link UpgradePath#check}: allowed, nothing to do, or refused with a reason. */
public sealed interface PathCheck {

  List<PathWarning> warnings();

  /**
   * The upgrade may go ahead.
   *
   * @param from the current version: the database schema version when known, else the image tag
   */
  record Allowed(Version from, Version to, List<PathWarning> warnings) implements PathCheck {
    public Allowed {
      warnings = List.copyOf(warnings);
    }
  }

  /** The server and its database already run the target version. */
  record AlreadyAtTarget(Version version, List<PathWarning> warnings) implements PathCheck {
    public AlreadyAtTarget {
      warnings = List.copyOf(warnings);
    }
  }

  /** The upgrade must not run; {@code message} tells a person what to do instead. */
  record Refused(FailureReason reason, String message, List<PathWarning> warnings)
      implements PathCheck {
    public Refused {
      warnings = List.copyOf(warnings);
    }
  }
}
