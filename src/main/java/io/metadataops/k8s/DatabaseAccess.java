package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.metadataops.api.shared.DatabaseConnection;
import io.metadataops.api.shared.DatabaseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How an engine container reaches the database: the same DB_* env the OpenMetadata server uses, the
 * password always as a Secret reference. {@link #display()} is a password-free description for
 * status and events.
 */
public record DatabaseAccess(
    List<EnvVar> env,
    List<EnvFromSource> envFrom,
    List<String> args,
    String display,
    List<String> problems,
    ServerPod serverPod) {

  public static DatabaseAccess ofServer(
      Deployment deployment, Container server, Function<String, ConfigMap> configMaps) {
    DatabaseEnv.Resolution resolution = DatabaseEnv.resolve(server, configMaps);
    return new DatabaseAccess(
        resolution.env(),
        resolution.envFrom(),
        List.of(),
        display(resolution.literals()),
        resolution.problems(),
        ServerPod.of(deployment, server));
  }

  public static DatabaseAccess ofConnection(DatabaseConnection connection) {
    int port = connection.port != null ? connection.port : connection.type.defaultPort();
    List<EnvVar> env = new ArrayList<>();
    env.add(literal("DB_SCHEME", connection.type.scheme()));
    env.add(literal("DB_HOST", connection.host));
    env.add(literal("DB_PORT", Integer.toString(port)));
    env.add(literal("DB_USER", connection.user));
    env.add(literal("OM_DATABASE", connection.name));
    if (connection.params != null) {
      env.add(literal("DB_PARAMS", connection.params));
    }
    env.add(
        StorageAccess.secretEnv(
            "DB_USER_PASSWORD",
            connection.passwordSecretRef.name,
            connection.passwordSecretRef.key));
    List<String> args =
        connection.type == DatabaseType.POSTGRESQL && connection.schema != null
            ? List.of("--db-schema", connection.schema)
            : List.of();
    return new DatabaseAccess(
        List.copyOf(env),
        List.of(),
        args,
        "%s://%s:%d/%s".formatted(connection.type.scheme(), connection.host, port, connection.name),
        List.of(),
        ServerPod.NONE);
  }

  private static String display(Map<String, String> literals) {
    String scheme = Optional.ofNullable(literals.get("DB_SCHEME")).orElse("mysql");
    return "%s://%s:%s/%s"
        .formatted(
            scheme,
            literals.getOrDefault("DB_HOST", "?"),
            literals.getOrDefault("DB_PORT", "?"),
            literals.getOrDefault("OM_DATABASE", "?"));
  }

  private static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
