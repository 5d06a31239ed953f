#!/bin/sh
# Writes <app dir>/app-cds.jsa, a class data sharing archive of the classes the operator loads while
# it starts, which takes about a second off every start (make bench-operator). The JVM that runs the
# operator must write it: an archive only works with the exact JVM build that made it, so the image
# build runs this script, and so does the benchmark for its local JVM.
#
# The training run starts the operator against an API server address where nothing listens: it
# loads every class of a start, fails to connect at once, and exits non-zero, which is expected.
set -u
app_dir=${1:?usage: app-cds.sh <quarkus-app directory>}
cd "$app_dir"
rm -f app-cds.jsa
java -XX:ArchiveClassesAtExit=app-cds.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
  -Dquarkus.appcds.generate=true \
  -Dquarkus.kubernetes-client.api-server-url=https://127.0.0.1:1 \
  -Dquarkus.kubernetes-client.request-retry-backoff-limit=0 \
  -jar "$PWD/quarkus-run.jar" >app-cds.log 2>&1
if [ ! -s app-cds.jsa ]; then
  echo "app-cds.sh: the training run wrote no archive; its output:" >&2
  cat app-cds.log >&2
  exit 1
fi
rm -f app-cds.log
