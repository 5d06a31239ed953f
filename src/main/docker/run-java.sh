#!/bin/sh
# The image's entrypoint: runs the Quarkus application with the JVM options of the image (ENV
# JAVA_OPTS in Dockerfile.jvm) or of the pod (engine Jobs set their own), as the run-java.sh of the
# UBI OpenJDK images does when JAVA_OPTS is given: JAVA_OPTS as given, then JAVA_OPTS_APPEND, then
# the application jar and the container's arguments (the engine's subcommand).
# shellcheck disable=SC2086 # JAVA_OPTS and JAVA_OPTS_APPEND are lists of options
exec java ${JAVA_OPTS:-} ${JAVA_OPTS_APPEND:-} -jar "${JAVA_APP_JAR:-/deployments/quarkus-run.jar}" "$@"
