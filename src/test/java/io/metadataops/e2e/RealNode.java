package io.metadataops.e2e;

import io.metadataops.testing.HackScript;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real node of the local control plane (hack/node: a kubelet on containerd and runc, with
 * kube-proxy and CoreDNS) and the images its pods run (hack/image/images.sh), as the end-to-end
 * tier uses them. Both scripts are idempotent and fast when nothing changed ({@code make test} has
 * already started the node by the time the tests run); they need root.
 */
public final class RealNode {

  /** The node's label, which pods select (hack/node/lib.sh). */
  public static final String LABEL = "metadataops.io/node";

  public static final String LABEL_VALUE = "real";

  /** The node's taint, which keeps every other pod (the KWOK tiers') off it. */
  public static final String TAINT = "metadataops.io/real-node";

  /** Where local PersistentVolumes of the tests live on the node (hack/node/lib.sh). */
  public static final Path VOLUMES = Path.of("/var/lib/metadataops-node/volumes");

  private static String name;
  private static boolean imagesBuilt;

  private RealNode() {}

  /** Starts the node, or checks the running one; returns its name. */
  public static synchronized String ensureUp() {
    if (name == null) {
      List<String> out = HackScript.run("hack/node/up.sh");
      name = out.get(out.size() - 1).trim();
    }
    return name;
  }

  /**
   * Builds the images of the end-to-end tier from this checkout (target/quarkus-app and
   * target/test-classes must be built) and loads them into the node; cached by content.
   */
  public static synchronized void ensureImages() {
    if (!imagesBuilt) {
      HackScript.run("hack/image/images.sh", "e2e");
      imagesBuilt = true;
    }
  }

  /**
   * The annotations that put every pod of a namespace on the real node, Jobs of the operator
   * included, with no change to the pods themselves: the API server's PodNodeSelector and
   * PodTolerationRestriction admission plugins add the node selector and the toleration.
   */
  public static Map<String, String> namespaceAnnotations() {
    return Map.of(
        "scheduler.alpha.kubernetes.io/node-selector",
        LABEL + "=" + LABEL_VALUE,
        "scheduler.alpha.kubernetes.io/defaultTolerations",
        "[{\"key\":\"" + TAINT + "\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]");
  }
}
