package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.metadataops.api.shared.S3Storage;
import io.metadataops.api.shared.StorageSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * How an engine container reaches a storage target: a mounted claim or S3 flags plus credential env
 * references. {@link #location(String)} names a file in it the way the engine expects.
 */
public record StorageAccess(
    String base,
    List<String> args,
    List<EnvVar> env,
    List<Volume> volumes,
    List<VolumeMount> mounts) {

  static final String MOUNT_PATH = "/backups";

  public static StorageAccess of(StorageSpec storage) {
    if (storage.persistentVolumeClaim != null) {
      var claim = storage.persistentVolumeClaim;
      String path = claim.path == null || claim.path.isEmpty() ? "" : "/" + trimSlashes(claim.path);
      return new StorageAccess(
          MOUNT_PATH + path,
          List.of(),
          List.of(),
          List.of(
              new VolumeBuilder()
                  .withName("storage")
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claim.claimName)
                  .endPersistentVolumeClaim()
                  .build()),
          List.of(new VolumeMountBuilder().withName("storage").withMountPath(MOUNT_PATH).build()));
    }
    S3Storage s3 = storage.s3;
    List<String> args = new ArrayList<>(List.of("--s3-region", s3.region));
    if (s3.endpoint != null) {
      args.addAll(List.of("--s3-endpoint", s3.endpoint));
    }
    if (s3.pathStyle) {
      args.add("--s3-path-style");
    }
    String prefix = s3.prefix == null || s3.prefix.isEmpty() ? "" : "/" + trimSlashes(s3.prefix);
    return new StorageAccess(
        "s3://" + s3.bucket + prefix,
        List.copyOf(args),
        List.of(
            secretEnv(
                "AWS_ACCESS_KEY_ID", s3.credentials.secretName, s3.credentials.accessKeyIdKey),
            secretEnv(
                "AWS_SECRET_ACCESS_KEY",
                s3.credentials.secretName,
                s3.credentials.secretAccessKeyKey)),
        List.of(),
        List.of());
  }

  public String location(String file) {
    return base + "/" + trimSlashes(file);
  }

  static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static String trimSlashes(String path) {
    return path.replaceAll("^/+|/+$", "");
  }
}
