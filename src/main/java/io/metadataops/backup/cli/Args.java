package io.metadataops.backup.cli;

import io.metadataops.backup.EngineException;
import io.metadataops.backup.ErrorCode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value}, {@code --name=value} and boolean {@code --flag} options. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  private Args() {}

  static Args parse(List<String> arguments, Set<String> valued, Set<String> flags) {
    Args args = new Args();
    for (int i = 0; i < arguments.size(); i++) {
      String arg = arguments.get(i);
      if (!arg.startsWith("--")) {
        throw usage("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (name.equals("db-password") || name.equals("password")) {
        throw usage(
            "the password is never accepted as a flag: use env DB_USER_PASSWORD or"
                + " --password-file");
      }
      if (flags.contains(name)) {
        args.values.put(name, value == null ? "true" : value);
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= arguments.size()) {
            throw usage("--" + name + " needs a value");
          }
          value = arguments.get(++i);
        }
        args.values.put(name, value);
      } else {
        throw usage("unknown option --" + name);
      }
    }
    return args;
  }

  String get(String name) {
    return values.get(name);
  }

  String get(String name, Map<String, String> env, String envName) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      value = env.get(envName);
    }
    return value == null || value.isBlank() ? null : value;
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  List<String> list(String name) {
    String value = values.get(name);
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  static EngineException usage(String message) {
    return new EngineException(ErrorCode.USAGE, message + " (see docs/backup-engine.md)");
  }
}
