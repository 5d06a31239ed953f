package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database settings of an OpenMetadata server container, as its pod sees them, turned into env
 * for an engine container. References stay references: a password in a Secret reaches the Job as
 * the same secretKeyRef, so the operator never reads it.
 */
public final class DatabaseEnv {

  /** The variable that names the server's database (on PostgreSQL too). */
  public static final String DATABASE = "OM_DATABASE";

  /** The variables the OpenMetadata server reads to reach its database. */
  public static final List<String> SETTINGS =
      List.of(
          "DB_SCHEME",
          "DB_HOST",
          "DB_PORT",
          "DB_USER",
          "DB_USER_PASSWORD",
          "OM_DATABASE",
          "DB_PARAMS");

  /** OpenMetadata's own defaults (openmetadata.yaml), applied when the container sets nothing. */
  static final Map<String, String> SERVER_DEFAULTS =
      Map.of(
          "DB_SCHEME", "mysql",
          "DB_PORT", "3306",
          "DB_USER", "openmetadata_user",
          "OM_DATABASE", "openmetadata_db");

  /** Settings without a usable default: the server would not reach the right database. */
  static final List<String> REQUIRED = List.of("DB_HOST", "DB_USER_PASSWORD");

  private static final Pattern VARIABLE_REFERENCE =
      Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  private DatabaseEnv() {}

  /** What the engine container gets, and what is wrong with the server's settings, if anything. */
  public record Resolution(
      List<EnvVar> env,
      List<EnvFromSource> envFrom,
      Map<String, String> literals,
      List<String> problems) {

    public Optional<String> literal(String name) {
      return Optional.ofNullable(literals.get(name));
    }
  }

  /**
   * Resolves the settings of {@code container}. {@code configMaps} looks up a ConfigMap of the
   * namespace by name (null when absent), to tell a missing setting from one an envFrom provides;
   * Secrets are never looked up, so a setting that may come from a Secret envFrom is trusted.
   */
  public static Resolution resolve(Container container, Function<String, ConfigMap> configMaps) {
    Map<String, EnvVar> declared = new LinkedHashMap<>();
    for (EnvVar var : nullSafe(container.getEnv())) {
      declared.put(var.getName(), var);
    }
    List<EnvFromSource> envFrom = nullSafe(container.getEnvFrom());
    List<String> problems = new ArrayList<>();
    Map<String, String> literals = new LinkedHashMap<>();

    Set<String> wanted = new LinkedHashSet<>();
    SETTINGS.stream()
        .filter(declared::containsKey)
        .forEach(name -> addWithReferences(name, declared, wanted));

    List<EnvVar> env = new ArrayList<>();
    for (String name : declared.keySet()) {
      if (!wanted.contains(name)) {
        continue;
      }
      EnvVar var = declared.get(name);
      env.add(var);
      if (var.getValue() != null) {
        literals.put(name, var.getValue());
      }
      referenceProblem(var, configMaps).ifPresent(problems::add);
    }
    for (EnvFromSource source : envFrom) {
      envFromProblem(source, configMaps).ifPresent(problems::add);
    }
    for (String setting : SETTINGS) {
      if (declared.containsKey(setting)) {
        continue;
      }
      Optional<String> fromConfigMap = providedByConfigMap(setting, envFrom, configMaps);
      if (fromConfigMap.isPresent()) {
        literals.put(setting, fromConfigMap.get());
      } else if (!mayComeFromSecret(envFrom)) {
        if (REQUIRED.contains(setting)) {
          problems.add(
              "%s is not set in container %s (neither env nor envFrom provides it): set it as the"
                      .formatted(setting, container.getName())
                  + " OpenMetadata server needs it, or give the database explicitly");
        } else if (SERVER_DEFAULTS.containsKey(setting)) {
          env.add(
              new EnvVarBuilder()
                  .withName(setting)
                  .withValue(SERVER_DEFAULTS.get(setting))
                  .build());
          literals.put(setting, SERVER_DEFAULTS.get(setting));
        }
      }
    }
    return new Resolution(
        List.copyOf(env), List.copyOf(envFrom), Map.copyOf(literals), List.copyOf(problems));
  }

  /** Kubernetes expands $(NAME) in env values from earlier variables: keep those too. */
  private static void addWithReferences(
      String name, Map<String, EnvVar> declared, Set<String> wanted) {
    if (!wanted.add(name)) {
      return;
    }
    String value = declared.get(name).getValue();
    if (value == null) {
      return;
    }
    Matcher matcher = VARIABLE_REFERENCE.matcher(value);
    while (matcher.find()) {
      if (declared.containsKey(matcher.group(1))) {
        addWithReferences(matcher.group(1), declared, wanted);
      }
    }
  }

  private static Optional<String> referenceProblem(
      EnvVar var, Function<String, ConfigMap> configMaps) {
    EnvVarSource from = var.getValueFrom();
    if (from == null || from.getConfigMapKeyRef() == null) {
      return Optional.empty();
    }
    var ref = from.getConfigMapKeyRef();
    if (Boolean.TRUE.equals(ref.getOptional())) {
      return Optional.empty();
    }
    ConfigMap configMap = configMaps.apply(ref.getName());
    if (configMap == null) {
      return Optional.of(
          "%s refers to ConfigMap %s, which does not exist: create it or fix the server Deployment"
              .formatted(var.getName(), ref.getName()));
    }
    if (configMap.getData() == null || !configMap.getData().containsKey(ref.getKey())) {
      return Optional.of(
          "%s refers to key %s of ConfigMap %s, which has no such key"
              .formatted(var.getName(), ref.getKey(), ref.getName()));
    }
    return Optional.empty();
  }

  private static Optional<String> envFromProblem(
      EnvFromSource source, Function<String, ConfigMap> configMaps) {
    if (source.getConfigMapRef() == null
        || Boolean.TRUE.equals(source.getConfigMapRef().getOptional())) {
      return Optional.empty();
    }
    String name = source.getConfigMapRef().getName();
    return configMaps.apply(name) == null
        ? Optional.of("envFrom refers to ConfigMap %s, which does not exist".formatted(name))
        : Optional.empty();
  }

  private static Optional<String> providedByConfigMap(
      String setting, List<EnvFromSource> envFrom, Function<String, ConfigMap> configMaps) {
    // Later sources win, as in the kubelet.
    for (int i = envFrom.size() - 1; i >= 0; i--) {
      EnvFromSource source = envFrom.get(i);
      if (source.getConfigMapRef() == null) {
        continue;
      }
      String prefix = source.getPrefix() == null ? "" : source.getPrefix();
      if (!setting.startsWith(prefix)) {
        continue;
      }
      ConfigMap configMap = configMaps.apply(source.getConfigMapRef().getName());
      if (configMap != null && configMap.getData() != null) {
        String value = configMap.getData().get(setting.substring(prefix.length()));
        if (value != null) {
          return Optional.of(value);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean mayComeFromSecret(List<EnvFromSource> envFrom) {
    return envFrom.stream().anyMatch(source -> source.getSecretRef() != null);
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
