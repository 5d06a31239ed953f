package io.metadataops.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Compression of the dump file. */
public enum Compression {
  @JsonProperty("gzip")
  GZIP,
  @JsonProperty("none")
  NONE
}
