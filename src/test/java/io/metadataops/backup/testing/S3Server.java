package io.metadataops.backup.testing;

import io.metadataops.backup.storage.S3Settings;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-process S3-compatible server (s3proxy + jclouds transient store) on 127.0.0.1.
 *
 * <p>s3proxy runs in its own class loader because the test classpath holds two Guice versions:
 * Quarkus' test bootstrap brings guice 5 (javax.inject), jclouds 2.7 needs guice 7. Hence the
 * reflection below.
 */
public final class S3Server implements AutoCloseable {

  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key";

  private final URLClassLoader loader;
  private final Object context;
  private final Object blobStore;
  private final Object proxy;

  public S3Server() throws Exception {
    loader = isolatedLoader();
    // jclouds finds its providers through the context class loader: point it at the isolated one.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      context = start();
    } finally {
      thread.setContextClassLoader(previous);
    }
    blobStore = context.getClass().getMethod("getBlobStore").invoke(context);
    proxy = startProxy();
    // The SDK's default credential chain reads these system properties first.
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
  }

  private Object start() throws Exception {
    Class<?> contextBuilder = loader.loadClass("org.jclouds.ContextBuilder");
    Object builder = contextBuilder.getMethod("newBuilder", String.class).invoke(null, "transient");
    contextBuilder
        .getMethod("credentials", String.class, String.class)
        .invoke(builder, "identity", "credential");
    Class<?> blobStoreContext = loader.loadClass("org.jclouds.blobstore.BlobStoreContext");
    return contextBuilder.getMethod("build", Class.class).invoke(builder, blobStoreContext);
  }

  private Object startProxy() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return startProxyInLoader();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private Object startProxyInLoader() throws Exception {
    Class<?> s3Proxy = loader.loadClass("org.gaul.s3proxy.S3Proxy");
    Object proxyBuilder = s3Proxy.getMethod("builder").invoke(null);
    Class<?> builderClass = proxyBuilder.getClass();
    method(builderClass, "blobStore", loader.loadClass("org.jclouds.blobstore.BlobStore"))
        .invoke(proxyBuilder, blobStore);
    method(builderClass, "endpoint", URI.class)
        .invoke(proxyBuilder, URI.create("http://127.0.0.1:0"));
    Class<?> authType = loader.loadClass("org.gaul.s3proxy.AuthenticationType");
    Object v2OrV4 = authType.getField("AWS_V2_OR_V4").get(null);
    method(builderClass, "awsAuthentication", authType, String.class, String.class)
        .invoke(proxyBuilder, v2OrV4, ACCESS_KEY, SECRET_KEY);
    Object proxy = method(builderClass, "build").invoke(proxyBuilder);
    s3Proxy.getMethod("start").invoke(proxy);
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"STARTED".equals(String.valueOf(s3Proxy.getMethod("getState").invoke(proxy)))) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("s3proxy did not start");
      }
      Thread.sleep(20);
    }
    return proxy;
  }

  public void createBucket(String name) throws Exception {
    blobStore
        .getClass()
        .getMethod(
            "createContainerInLocation",
            loader.loadClass("org.jclouds.domain.Location"),
            String.class)
        .invoke(blobStore, null, name);
  }

  public boolean exists(String bucket, String key) throws Exception {
    return (Boolean)
        blobStore
            .getClass()
            .getMethod("blobExists", String.class, String.class)
            .invoke(blobStore, bucket, key);
  }

  public String endpoint() throws Exception {
    return "http://127.0.0.1:" + proxy.getClass().getMethod("getPort").invoke(proxy);
  }

  public S3Settings settings() throws Exception {
    return new S3Settings(endpoint(), "us-east-1", true);
  }

  @Override
  public void close() throws Exception {
    proxy.getClass().getMethod("stop").invoke(proxy);
    context.getClass().getMethod("close").invoke(context);
    loader.close();
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters)
      throws NoSuchMethodException {
    Method m = type.getMethod(name, parameters);
    m.setAccessible(true);
    return m;
  }

  private static URLClassLoader isolatedLoader() throws Exception {
    String classpath = System.getProperty("surefire.test.class.path");
    if (classpath == null || classpath.isBlank()) {
      classpath = System.getProperty("java.class.path");
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.contains("guice-5.")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }
}
