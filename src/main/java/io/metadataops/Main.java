package io.metadataops;

import io.metadataops.backup.cli.EngineCli;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * One image, two roles: without arguments it runs the operator; with an engine subcommand ({@code
 * backup}, {@code restore}, {@code verify}, {@code inspect}, {@code delete}) it runs the backup
 * engine and exits, without starting Quarkus, so Jobs and people share one tested engine.
 */
@QuarkusMain
public final class Main {

  private Main() {}

  public static void main(String... args) {
    if (args.length > 0 && EngineCli.isSubcommand(args[0])) {
      System.exit(EngineCli.run(args));
    }
    Quarkus.run(args);
  }
}
