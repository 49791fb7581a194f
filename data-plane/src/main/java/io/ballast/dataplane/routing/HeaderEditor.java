package io.ballast.dataplane.routing;

import io.ballast.model.RouteActions.HeaderEdits;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * A route's {@code requestHeaders} or {@code responseHeaders}, compiled: names as {@link AsciiString}s and
 * values as {@link HeaderTemplate}s. Applies remove, then set, then add. Immutable and thread-safe.
 */
final class HeaderEditor {
    private final AsciiString[] remove;
    private final AsciiString[] setNames;
    private final HeaderTemplate[] setValues;
    private final AsciiString[] addNames;
    private final HeaderTemplate[] addValues;

    private HeaderEditor(HeaderEdits edits) {
        remove = edits.remove().stream().map(AsciiString::of).toArray(AsciiString[]::new);
        setNames = names(edits.set());
        setValues = values(edits.set());
        addNames = names(edits.add());
        addValues = values(edits.add());
    }

    /** Null when there is nothing to edit. */
    static HeaderEditor of(HeaderEdits edits) {
        return edits == null || edits.none() ? null : new HeaderEditor(edits);
    }

    void apply(HttpHeaders headers, RequestVars vars) {
        for (AsciiString name : remove) {
            headers.remove(name);
        }
        for (int i = 0; i < setNames.length; i++) {
            headers.set(setNames[i], setValues[i].render(vars));
        }
        for (int i = 0; i < addNames.length; i++) {
            headers.add(addNames[i], addValues[i].render(vars));
        }
    }

    private static AsciiString[] names(Map<String, String> m) {
        return m.keySet().stream().map(AsciiString::of).toArray(AsciiString[]::new);
    }

    private static HeaderTemplate[] values(Map<String, String> m) {
        return m.values().stream().map(HeaderTemplate::of).toArray(HeaderTemplate[]::new);
    }
}
