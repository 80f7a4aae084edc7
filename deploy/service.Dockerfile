# The image of every chat-central service, made from the Spring Boot executable jar the Maven build leaves in
# <module>/target: build the jars first (./mvnw -B -DskipTests package), then the images. docker-compose.yml builds
# each service from this file with its module; by hand:
#   docker build -f deploy/service.Dockerfile --build-arg MODULE=ingest --build-arg HEALTHCHECK_PORT=9081 .
#
# MODULE            ingest, stream-processor, gateway, dispatcher or evolution-simulator
# HEALTHCHECK_PORT  the service's default management port (MANAGEMENT_PORT, when set, wins at run time)
# HEALTHCHECK_PATH  the readiness probe, which answers without the management token
ARG JAVA_IMAGE=eclipse-temurin:17-jre

FROM ${JAVA_IMAGE} AS layers
ARG MODULE
RUN test -n "${MODULE}" || { echo "build with --build-arg MODULE=<the service's module>" >&2; exit 1; }
WORKDIR /build
COPY ${MODULE}/target/${MODULE}-*-exec.jar application.jar
# the jar's layers as directories (dependencies, spring-boot-loader, snapshot-dependencies, application), each
# copied below into an image layer of its own: a rebuild of the code alone changes only the last one
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

FROM ${JAVA_IMAGE}
ARG MODULE
ARG HEALTHCHECK_PORT
ARG HEALTHCHECK_PATH=/actuator/health/readiness
RUN test -n "${HEALTHCHECK_PORT}" || { echo "build with --build-arg HEALTHCHECK_PORT=<management port>" >&2; exit 1; } \
    && apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin chatcentral \
    # STREAMS_STATE_DIR of the stream-processor: a volume mounted here starts owned by the service's user
    && mkdir -p /var/lib/chat-central \
    && chown chatcentral:chatcentral /var/lib/chat-central
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER chatcentral
ENV HEALTHCHECK_PORT=${HEALTHCHECK_PORT} \
    HEALTHCHECK_PATH=${HEALTHCHECK_PATH}
LABEL org.opencontainers.image.title="chat-central ${MODULE}"
# a service answers its readiness probe only once it can do its work (the ingest: its producer was acknowledged)
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${MANAGEMENT_PORT:-$HEALTHCHECK_PORT}${HEALTHCHECK_PATH}" || exit 1
# the heap follows the container's memory limit; JAVA_TOOL_OPTIONS adds to these flags
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
