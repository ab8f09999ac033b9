# syntax=docker/dockerfile:1
# Snapline's service image. Build from the repository root:
#   docker build -t snapline:local .
# The ECS task definition (infra-terraform/modules/source-account) runs this image and probes the
# same GET /health on port 8080 that the HEALTHCHECK below uses.

# --- build: the shaded jar target/snapline.jar -------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2 mvn -B -q dependency:go-offline || true
COPY src ./src
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# --- runtime: a small JRE on Alpine (busybox wget for the health check), non-root ---------------
FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S -g 10001 snapline \
 && adduser -S -D -H -u 10001 -G snapline -h /app snapline \
 && mkdir -p /app/.snapline \
 && chown -R snapline:snapline /app
WORKDIR /app
COPY --from=build --chown=snapline:snapline /build/target/snapline.jar /app/snapline.jar
USER 10001:10001

ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null http://localhost:8080/health || exit 1

# exec form: the JVM is PID 1 and gets SIGTERM, so Snapline drains in-flight messages on stop.
ENTRYPOINT ["java", "-jar", "/app/snapline.jar"]
