package io.ballast.model;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Lookup of enum constants by their lower-case wire names, with an error that lists the choices. */
final class Enums {
    private Enums() {
    }

    static <E extends Enum<E>> E fromWireName(Class<E> type, E[] values, Function<E, String> wireName, String name) {
        for (E value : values) {
            if (wireName.apply(value).equals(name)) {
                return value;
            }
        }
        String choices = Arrays.stream(values).map(wireName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("'" + name + "' is not one of: " + choices);
    }
}
