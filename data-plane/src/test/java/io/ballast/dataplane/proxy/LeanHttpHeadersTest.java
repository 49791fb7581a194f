package io.ballast.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class LeanHttpHeadersTest {
    private final HttpHeaders headers = LeanHeadersFactory.heads(DefaultHttpHeadersFactory.headersFactory()).newHeaders();

    @Test
    void absentFieldsAnswerLikeNettysHeaders() {
        assertThat(headers.getAll(HttpHeaderNames.CONTENT_LENGTH)).isEmpty();
        assertThat(headers.getAll("content-length")).isEmpty();
        assertThat(headers.valueCharSequenceIterator(HttpHeaderNames.TRANSFER_ENCODING)).isExhausted();
        assertThat(headers.valueStringIterator(HttpHeaderNames.TRANSFER_ENCODING)).isExhausted();
        assertThat(headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, true)).isFalse();
    }

    @Test
    void presentFieldsAreFoundWhateverTheirCaseOrListPosition() {
        headers.add("Transfer-Encoding", "gzip, Chunked");
        headers.add("content-length", "1");
        headers.add("Content-Length", "2");
        assertThat(HttpUtil.isTransferEncodingChunked(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", headers))).isTrue();
        assertThat(headers.containsValue(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED, false)).isFalse();
        assertThat(headers.getAll(HttpHeaderNames.CONTENT_LENGTH)).containsExactly("1", "2");
        assertThat(headers.valueStringIterator("TRANSFER-ENCODING")).toIterable().containsExactly("gzip, Chunked");
    }

    @Test
    void validatesNamesAndValuesAsConfigured() {
        HttpHeaders strict = LeanHeadersFactory.heads(DefaultHttpHeadersFactory.headersFactory().withValidation(true)
                .withValueValidation(true)).newHeaders();
        assertThatThrownBy(() -> strict.add("bad name", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> strict.add("x-ok", "a\rb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeanHeadersFactory.trailers().newHeaders().add("bad name", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
