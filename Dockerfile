# syntax=docker/dockerfile:1
# Snapline's service image. Build from the repository root for the platform the ECS task runs on
# (the source-account module's cpu_architecture; its output container_platform names it):
#   docker buildx build --platform linux/amd64 -t snapline:local .     # X86_64 (the default)
#   docker buildx build --platform linux/arm64 -t snapline:local .     # ARM64 (Graviton)
#   docker buildx build --platform linux/amd64,linux/arm64 -t <repo>:<tag> --push .   # both
# A plain `docker build` builds for the machine it runs on: an arm64 image from an Apple-silicon
# laptop cannot start on an X86_64 task (exec format error; the circuit breaker rolls it back).
# The ECS task definition (infra-terraform/modules/source-account) runs this image and probes the
# same GET /health on port 8080 that the HEALTHCHECK below uses.

# --- build: the shaded jar target/snapline.jar -------------------------------------------------
# The jar is the same on every platform: build it once, natively, on the builder's own platform.
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline || true
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime: the JRE on Ubuntu, for the target platform, non-root ------------------------------
# eclipse-temurin publishes 17-jre for linux/amd64 and linux/arm64; its Alpine variant has no
# arm64 image for Java 17, so it could not run on Graviton. wget serves the health check.
FROM eclipse-temurin:17-jre-noble
RUN apt-get update \
 && apt-get install -y --no-install-recommends wget \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 snapline \
 && useradd --system --uid 10001 --gid snapline --home-dir /app --no-create-home snapline \
 && mkdir -p /app/.snapline \
 && chown -R snapline:snapline /app
WORKDIR /app
COPY --from=build --chown=snapline:snapline /build/target/snapline.jar /app/snapline.jar
USER 10001:10001

# Half the container for the heap, and the serial collector: the JVM's own memory (metaspace, code cache,
# threads) takes 130-250 MiB, and G1's remembered sets another 50 MiB. The JVM picks the serial collector
# by itself on the default 0.5 vCPU task; named here so a larger task_cpu keeps it. Measured under
# 100,000 hostile bodies: peak RSS 363 MiB in queue mode in a 512 MiB budget (README, Benchmark, row 6).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null http://localhost:8080/health || exit 1

# exec form: the JVM is PID 1 and gets SIGTERM, so Snapline drains in-flight messages on stop.
ENTRYPOINT ["java", "-jar", "/app/snapline.jar"]
