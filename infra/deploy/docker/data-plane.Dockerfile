# The data-plane image. Build from the repository root after `mvn -B package`:
#   docker build -f infra/deploy/docker/data-plane.Dockerfile -t ballast/data-plane:0.1.0 .
# It keeps the repository's layout under /opt/ballast so the launcher finds the jar where it is in a
# build (data-plane/target/ballast-data-plane.jar) and applies the JVM settings it is tuned for.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 ballast \
    && useradd --system --uid 10001 --gid ballast --home-dir /var/cache/ballast --create-home ballast
COPY --chown=root:root data-plane/target/ballast-data-plane.jar /opt/ballast/data-plane/target/ballast-data-plane.jar
COPY --chown=root:root --chmod=0755 data-plane/bin/ballast-data-plane /opt/ballast/data-plane/bin/ballast-data-plane
ENV BALLAST_LISTEN=0.0.0.0:8080 \
    BALLAST_ADMIN_LISTEN=0.0.0.0:9901 \
    BALLAST_CACHE_DIR=/var/cache/ballast
USER 10001
EXPOSE 8080 9901
# exec form: the launcher execs the JVM, so SIGTERM from the kubelet reaches it and starts the drain.
ENTRYPOINT ["/opt/ballast/data-plane/bin/ballast-data-plane"]
