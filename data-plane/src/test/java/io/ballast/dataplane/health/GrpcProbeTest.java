package io.ballast.dataplane.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The hand-encoded health messages agree with the protobuf classes grpc-java itself uses. */
class GrpcProbeTest {
    private static Buffer framed(byte[] message) {
        return Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
    }

    @Test
    void theRequestIsAHealthCheckRequestInItsFrame() throws Exception {
        Buffer named = GrpcProbe.request("shop.Cart");
        assertThat(named.getByte(0)).isZero();
        assertThat(named.getInt(1)).isEqualTo(named.length() - 5);
        assertThat(HealthCheckRequest.parseFrom(named.getBytes(5, named.length())).getService()).isEqualTo("shop.Cart");
        assertThat(GrpcProbe.request(null).getBytes()).containsExactly(0, 0, 0, 0, 0);
        String longName = "s".repeat(200);
        Buffer varint = GrpcProbe.request(longName);
        assertThat(HealthCheckRequest.parseFrom(varint.getBytes(5, varint.length())).getService()).isEqualTo(longName);
    }

    @Test
    void theAnswerIsReadFromTheResponseMessage() {
        for (HealthCheckResponse.ServingStatus s : new HealthCheckResponse.ServingStatus[] {
                HealthCheckResponse.ServingStatus.UNKNOWN, HealthCheckResponse.ServingStatus.SERVING,
                HealthCheckResponse.ServingStatus.NOT_SERVING, HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN}) {
            byte[] message = HealthCheckResponse.newBuilder().setStatus(s).build().toByteArray();
            assertThat(GrpcProbe.servingStatus(framed(message))).isEqualTo(s.getNumber());
        }
        assertThat(GrpcProbe.judge("0", framed(HealthCheckResponse.newBuilder()
                .setStatus(HealthCheckResponse.ServingStatus.SERVING).build().toByteArray()))).isEqualTo(ProbeOutcome.PASS);
    }

    @Test
    void anythingElseFailsWithAReason() {
        byte[] serving = HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build().toByteArray();
        assertThat(GrpcProbe.judge("5", Buffer.buffer()).failure()).isEqualTo("GrpcServiceUnknown");
        assertThat(GrpcProbe.judge("12", Buffer.buffer()).failure()).isEqualTo("GrpcHealthUnimplemented");
        assertThat(GrpcProbe.judge("14", Buffer.buffer()).failure()).isEqualTo("GrpcStatus14");
        assertThat(GrpcProbe.judge(null, framed(serving)).failure()).isEqualTo("GrpcBadResponse");
        assertThat(GrpcProbe.judge("0", Buffer.buffer("not grpc")).failure()).isEqualTo("GrpcBadResponse");
        // A compressed message, or a length that does not match the body, is not read.
        assertThat(GrpcProbe.servingStatus(Buffer.buffer().appendByte((byte) 1).appendInt(serving.length).appendBytes(serving))).isEqualTo(-1);
        assertThat(GrpcProbe.servingStatus(Buffer.buffer().appendByte((byte) 0).appendInt(serving.length + 1).appendBytes(serving))).isEqualTo(-1);
    }
}
