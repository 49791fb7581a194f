package io.ballast.controlplane.fleet;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which data-plane versions this control plane talks to: those whose MAJOR version (semantic
 * versioning, the number before the first dot) is listed in {@code ballast.dataplanes.supported-majors}.
 * A version without a numeric major ({@code dev} from an IDE, a custom build tag) is accepted: only a
 * version known to be incompatible is turned away. Stateless.
 */
@ApplicationScoped
public class VersionPolicy {
    private final List<Integer> supportedMajors;

    VersionPolicy(@ConfigProperty(name = "ballast.dataplanes.supported-majors") List<Integer> supportedMajors) {
        this.supportedMajors = List.copyOf(supportedMajors);
    }

    /** Why {@code version} is refused; empty when it is supported. */
    public Optional<String> refusal(String version) {
        Integer major = majorOf(version);
        if (major != null && !supportedMajors.contains(major)) {
            return Optional.of("data-plane major version " + major + " (" + version
                    + ") is not supported by this control plane; supported major versions: " + supportedMajors);
        }
        return Optional.empty();
    }

    private static Integer majorOf(String version) {
        if (version == null || version.isBlank()) {
            return null;
        }
        int dot = version.indexOf('.');
        String head = dot < 0 ? version : version.substring(0, dot);
        if (head.startsWith("v")) {
            head = head.substring(1);
        }
        try {
            return Integer.parseInt(head);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
