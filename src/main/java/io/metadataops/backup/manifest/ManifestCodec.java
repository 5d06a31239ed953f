package io.metadataops.backup.manifest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.metadataops.backup.common.EngineException;
import io.metadataops.backup.common.ErrorCode;
import java.io.IOException;

/** Reads and writes manifests as pretty-printed JSON. */
public final class ManifestCodec {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestCodec() {}

  public static byte[] write(Manifest manifest) {
    try {
      return MAPPER.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new EngineException(ErrorCode.INTERNAL, "cannot serialise manifest: " + e, e);
    }
  }

  public static Manifest read(byte[] json, String location) {
    try {
      Manifest manifest = MAPPER.readValue(json, Manifest.class);
      if (manifest.formatVersion() > Manifest.FORMAT_VERSION) {
        throw new EngineException(
            ErrorCode.INTEGRITY,
            "manifest "
                + location
                + " has format version "
                + manifest.formatVersion()
                + ", newer than this engine understands ("
                + Manifest.FORMAT_VERSION
                + "): use a newer engine image");
      }
      return manifest;
    } catch (IOException e) {
      throw new EngineException(
          ErrorCode.INTEGRITY,
          "manifest " + location + " is not valid JSON (" + e.getMessage() + ")",
          e);
    }
  }
}
