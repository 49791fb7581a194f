package io.ballast.dataplane.proxy;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Makes {@link LeanHttpHeaders} with the validation of a Netty {@link DefaultHttpHeadersFactory}, for the HTTP/1
 * codecs of the forwarding path (client requests, backend responses, and both their trailers). Heads get
 * Netty's usual 16 hash buckets; trailers, which almost every message has none of but for which the decoder
 * makes a header map each time, get 2. Immutable and thread-safe.
 */
final class LeanHeadersFactory implements HttpHeadersFactory {
    private static final int HEAD_BUCKETS = 16;
    private static final int TRAILER_BUCKETS = 2;

    private final DefaultHttpHeadersFactory validation;
    private final DefaultHeaders.NameValidator<CharSequence> names;
    private final int buckets;

    private LeanHeadersFactory(DefaultHttpHeadersFactory validation, int buckets) {
        this.validation = validation;
        this.buckets = buckets;
        DefaultHeaders.NameValidator<CharSequence> validate = validation.getNameValidator();
        // A name the decoder took from KnownHeaderNames is a valid token by construction: checking its every
        // character again was a few per cent of the event loop's time.
        this.names = name -> {
            if (!KnownHeaderNames.isConstant(name)) {
                validate.validateName(name);
            }
        };
    }

    /** Heads, validated as {@code validation} says. */
    static LeanHeadersFactory heads(DefaultHttpHeadersFactory validation) {
        return new LeanHeadersFactory(validation, HEAD_BUCKETS);
    }

    /** Trailers, validated as Netty validates trailers. */
    static LeanHeadersFactory trailers() {
        return new LeanHeadersFactory(DefaultHttpHeadersFactory.trailersFactory(), TRAILER_BUCKETS);
    }

    @Override
    public HttpHeaders newHeaders() {
        return new LeanHttpHeaders(names, validation.getValueValidator(), buckets);
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
        return new LeanHttpHeaders(names, validation.getValueValidator(), TRAILER_BUCKETS);
    }
}
