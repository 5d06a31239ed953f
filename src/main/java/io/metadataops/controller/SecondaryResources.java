package io.metadataops.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.metadataops.k8s.EngineJob;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one way the controllers handle objects other than their primary resource: stamp the ones they
 * own (name, namespace, labels, owner reference), create them idempotently, watch owned and
 * referenced objects through informers, and read them from those informers' caches.
 */
public final class SecondaryResources {

  private SecondaryResources() {}

  /** Names {@code child}, puts it in {@code owner}'s namespace with {@code labels}, owned by it. */
  public static <C extends HasMetadata> C stamp(
      C child, HasMetadata owner, String name, Map<String, String> labels) {
    child.getMetadata().setName(name);
    child.getMetadata().setNamespace(owner.getMetadata().getNamespace());
    child.getMetadata().setLabels(labels);
    child.getMetadata().setOwnerReferences(List.of(EngineJob.ownerReference(owner)));
    return child;
  }

  /**
   * Creates {@code child}. Children have deterministic names, so one that already exists is the one
   * an earlier reconciliation created before the cache saw it: it counts as created. Tells whether
   * this call created it.
   */
  public static boolean create(KubernetesClient client, HasMetadata child) {
    try {
      client.resource(child).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      return false;
    }
  }

  /** The owned {@code type} named {@code name}, from the informer cache. */
  public static <R extends HasMetadata> Optional<R> find(
      Context<?> context, Class<R> type, String name) {
    return context.getSecondaryResources(type).stream()
        .filter(resource -> name.equals(resource.getMetadata().getName()))
        .findFirst();
  }

  /** An informer of the {@code type} objects that carry {@code labelSelector}, mapped to owners. */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> informer(
      EventSourceContext<P> context, Class<R> type, Class<P> owner, String labelSelector) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, owner)
            .withLabelSelector(labelSelector)
            .withItemStore(new PrunedItemStore<>())
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(owner))
            .build(),
        context);
  }

  /**
   * An informer of the {@code type} objects that primaries reference by name in their own namespace
   * ({@code references}): an event of such an object triggers every primary that names it, and the
   * reconciler reads it from the cache. Registers an index on the primary cache under {@code
   * index}.
   */
  public static <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> referenced(
      EventSourceContext<P> context,
      Class<R> type,
      String index,
      Function<P, List<String>> references) {
    IndexerResourceCache<P> primaries = context.getPrimaryCache();
    primaries.addIndexer(
        index,
        primary ->
            references.apply(primary).stream()
                .map(name -> key(primary.getMetadata().getNamespace(), name))
                .toList());
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, context.getPrimaryResourceClass())
            .withItemStore(new PrunedItemStore<>())
            .withSecondaryToPrimaryMapper(
                (R object) ->
                    primaries
                        .byIndex(
                            index,
                            key(
                                object.getMetadata().getNamespace(),
                                object.getMetadata().getName()))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .withPrimaryToSecondaryMapper(
                (P primary) ->
                    references.apply(primary).stream()
                        .map(name -> new ResourceID(name, primary.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
            .build(),
        context);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The engine Jobs that resources of kind {@code owner} created. */
  public static <P extends HasMetadata> InformerEventSource<Job, P> engineJobs(
      EventSourceContext<P> context, Class<P> owner) {
    return informer(context, Job.class, owner, EngineJob.selectorForOwnerKind(owner));
  }
}
