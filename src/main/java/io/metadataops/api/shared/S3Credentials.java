package io.metadataops.api.shared;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** The Secret holding the S3 access key pair; its keys reach the Job as env references. */
public class S3Credentials {

  @Required
  @JsonPropertyDescription("Name of the Secret in this namespace.")
  public String secretName;

  @Default("AWS_ACCESS_KEY_ID")
  @JsonPropertyDescription("Key of the access key id. Default: `AWS_ACCESS_KEY_ID`.")
  public String accessKeyIdKey = "AWS_ACCESS_KEY_ID";

  @Default("AWS_SECRET_ACCESS_KEY")
  @JsonPropertyDescription("Key of the secret access key. Default: `AWS_SECRET_ACCESS_KEY`.")
  public String secretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";
}
