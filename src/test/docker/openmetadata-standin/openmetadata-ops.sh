#!/bin/sh
# Stand-in for OpenMetadata's bootstrap/openmetadata-ops.sh: `migrate` only (see
# StandInOpenMetadata). The migration Job runs it as ./bootstrap/openmetadata-ops.sh migrate.
exec java -XX:+UseSerialGC -Xmx64m -cp "/opt/openmetadata/standin:/deployments/lib/main/*" \
  io.metadataops.e2e.standin.StandInOpenMetadata "$@"
