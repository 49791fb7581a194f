package io.ballast.dataplane.proxy;

import io.netty.handler.codec.DefaultHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * Netty's {@link DefaultHttpHeaders} without the garbage of asking for a field that is not there. Netty's codecs
 * ask every message for {@code Transfer-Encoding: chunked} (decoder and encoder), for all {@code Content-Length}
 * fields, and the proxy for {@code Connection} tokens; each such question allocates a value iterator or a list
 * even when the field is absent, which it is in most messages. Here a hash lookup answers "absent" first, and
 * only a present field pays for Netty's iteration. Everything else, validation included, is Netty's. Not
 * thread-safe (like Netty's headers).
 */
final class LeanHttpHeaders extends DefaultHttpHeaders {
    LeanHttpHeaders(DefaultHeaders.NameValidator<CharSequence> names, DefaultHeaders.ValueValidator<CharSequence> values,
                    int sizeHint) {
        super(names, values, sizeHint);
    }

    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        return contains(name) && super.containsValue(name, value, ignoreCase);
    }

    @Override
    public Iterator<CharSequence> valueCharSequenceIterator(CharSequence name) {
        return contains(name) ? super.valueCharSequenceIterator(name) : Collections.emptyIterator();
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        return contains(name) ? super.valueStringIterator(name) : Collections.emptyIterator();
    }

    @Override
    public List<String> getAll(String name) {
        return contains(name) ? super.getAll(name) : Collections.emptyList();
    }

    @Override
    public List<String> getAll(CharSequence name) {
        return contains(name) ? super.getAll(name) : Collections.emptyList();
    }
}
