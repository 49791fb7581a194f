package io.ballast.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Creates command objects, handing the {@link Session} to those whose constructor takes one. */
final class SessionFactory implements CommandLine.IFactory {
    private final Session session;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    SessionFactory(Session session) {
        this.session = session;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Session.class) {
                c.setAccessible(true);
                return type.cast(c.newInstance(session));
            }
        }
        return fallback.create(type);
    }
}
