# The control-plane image. Build from the repository root after `mvn -B package`:
#   docker build -f infra/deploy/docker/control-plane.Dockerfile -t ballast/control-plane:0.1.0 .
# It keeps the repository's layout under /opt/ballast so the launcher finds the Quarkus app where
# it is in a build (control-plane/target/quarkus-app) and applies the JVM settings it is tuned for.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 ballast \
    && useradd --system --uid 10001 --gid ballast --home-dir /var/lib/ballast --create-home ballast
COPY --chown=root:root control-plane/target/quarkus-app/ /opt/ballast/control-plane/target/quarkus-app/
COPY --chown=root:root --chmod=0755 control-plane/bin/ballast-control-plane /opt/ballast/control-plane/bin/ballast-control-plane
ENV QUARKUS_HTTP_PORT=9000 \
    BALLAST_DATA_DIR=/var/lib/ballast
USER 10001
EXPOSE 9000
# exec form: the launcher execs the JVM, so SIGTERM from the kubelet reaches it directly.
ENTRYPOINT ["/opt/ballast/control-plane/bin/ballast-control-plane"]
