package io.metadataops.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Deterministic names for child objects that stay within Kubernetes' length limits. */
public final class KubernetesNames {

  /** Labels and Job names (the Job controller adds a suffix to pod names) stay under 63. */
  static final int MAX_LENGTH = 63;

  private KubernetesNames() {}

  /** {@code base-suffix}, shortened with a stable hash of the full name when too long. */
  public static String child(String base, String suffix) {
    String name = base + "-" + suffix;
    if (name.length() <= MAX_LENGTH) {
      return name;
    }
    String hash = sha256(name).substring(0, 8);
    int keep = MAX_LENGTH - suffix.length() - hash.length() - 2;
    String head = base.substring(0, keep).replaceAll("[-.]+$", "");
    return head + "-" + hash + "-" + suffix;
  }

  /**
   * A scratch database named after {@code owner}'s uid: {@code prefix} and its first 12 hex
   * characters, unique per resource and a valid identifier on every database server.
   */
  public static String scratchDatabase(String prefix, HasMetadata owner) {
    String uid = owner.getMetadata().getUid().replace("-", "").toLowerCase(Locale.ROOT);
    return prefix + uid.substring(0, Math.min(12, uid.length()));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
