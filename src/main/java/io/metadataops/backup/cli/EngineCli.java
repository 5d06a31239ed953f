package io.metadataops.backup.cli;

import java.util.Set;

/** Command-line entry of the backup engine. */
public final class EngineCli {

  private static final Set<String> SUBCOMMANDS =
      Set.of("backup", "restore", "verify", "inspect", "delete");

  private EngineCli() {}

  public static boolean isSubcommand(String name) {
    return SUBCOMMANDS.contains(name);
  }

  public static int run(String... args) {
    System.err.println("not implemented yet: " + String.join(" ", args));
    return 1;
  }
}
