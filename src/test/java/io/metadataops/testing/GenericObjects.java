package io.metadataops.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and edits untyped objects by dotted path, to build invalid variants of examples. */
public final class GenericObjects {

  private GenericObjects() {}

  public static void set(GenericKubernetesResource object, String path, Object value) {
    String[] keys = path.split("\\.");
    parent(object, keys, true).put(keys[keys.length - 1], value);
  }

  public static void remove(GenericKubernetesResource object, String path) {
    String[] keys = path.split("\\.");
    parent(object, keys, false).remove(keys[keys.length - 1]);
  }

  @SuppressWarnings("unchecked")
  public static Object get(GenericKubernetesResource object, String path) {
    Object current = object.getAdditionalProperties();
    for (String key : path.split("\\.")) {
      current = current instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parent(
      GenericKubernetesResource object, String[] keys, boolean create) {
    Map<String, Object> current = object.getAdditionalProperties();
    for (int i = 0; i < keys.length - 1; i++) {
      Object next = current.get(keys[i]);
      if (next == null && create) {
        next = new LinkedHashMap<String, Object>();
        current.put(keys[i], next);
      }
      if (!(next instanceof Map)) {
        throw new IllegalArgumentException(
            "no object at " + keys[i] + " of " + String.join(".", keys));
      }
      current = (Map<String, Object>) next;
    }
    return current;
  }
}
