#!/bin/sh
# Stand-in for OpenMetadata's bootstrap/openmetadata-ops.sh (see StandInOpenMetadata):
# [-d] migrate [--force], repair and reindex, with upstream's exit codes. The migration Job runs it
# as ./bootstrap/openmetadata-ops.sh migrate, the chart's init container as
# /bin/bash -c "/opt/openmetadata/bootstrap/openmetadata-ops.sh migrate --force".
exec java -XX:+UseSerialGC -Xmx64m -cp "/opt/openmetadata/standin:/deployments/lib/main/*" \
  io.metadataops.e2e.standin.StandInOpenMetadata "$@"
