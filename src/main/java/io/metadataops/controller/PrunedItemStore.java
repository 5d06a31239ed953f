package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer cache that keeps objects without their managed fields. The controllers never read
 * them, and with server-side apply they are often the largest part of a cached object: dropping
 * them keeps the operator's memory small with thousands of resources and Jobs.
 */
public class PrunedItemStore<R extends HasMetadata> extends BasicItemStore<R> {

  public PrunedItemStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R object) {
    object.getMetadata().setManagedFields(null);
    return super.put(key, object);
  }
}
