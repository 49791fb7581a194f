package io.ballast.dataplane.config;

import io.ballast.model.validation.Violation;
import io.ballast.wire.v1.Ack;
import io.ballast.wire.v1.Nack;
import io.ballast.wire.v1.Resync;
import io.ballast.wire.v1.WireMessage;
import java.util.List;
import java.util.Optional;

/** What became of a snapshot handed to the {@link SnapshotApplier}, and the answer it deserves. Immutable. */
public sealed interface ApplyResult {

    long revision();

    String hash();

    /** The wire answer to the control plane: ack, nack, or nothing for a superseded snapshot. */
    Optional<WireMessage> reply();

    /** Built, swapped in and cached; {@code warnings} say what failed beside it (the cache write). */
    record Applied(long revision, String hash, List<String> warnings) implements ApplyResult {
        public Applied {
            warnings = List.copyOf(warnings);
        }

        public Applied(long revision, String hash) {
            this(revision, hash, List.of());
        }

        @Override
        public Optional<WireMessage> reply() {
            return Optional.of(new Ack(revision, hash, warnings));
        }
    }

    /** Its hash was already serving, so nothing was rebuilt. */
    record Unchanged(long revision, String hash, List<String> warnings) implements ApplyResult {
        public Unchanged {
            warnings = List.copyOf(warnings);
        }

        public Unchanged(long revision, String hash) {
            this(revision, hash, List.of());
        }

        @Override
        public Optional<WireMessage> reply() {
            return Optional.of(new Ack(revision, hash, warnings));
        }
    }

    /** Refused; the previous config keeps serving. */
    record Rejected(long revision, String hash, List<Violation> errors) implements ApplyResult {
        public Rejected {
            errors = List.copyOf(errors);
        }

        @Override
        public Optional<WireMessage> reply() {
            return Optional.of(new Nack(revision, hash, errors));
        }
    }

    /**
     * A delta that could not be turned into a config here (no base of its revision and hash, or the result
     * hashed differently); nothing changed, and the control plane is asked for the full snapshot.
     */
    record Unresolvable(long revision, String hash, String reason) implements ApplyResult {
        @Override
        public Optional<WireMessage> reply() {
            return Optional.of(new Resync(revision, reason));
        }
    }

    /** A newer snapshot arrived before this one was started; only the newest is applied and answered. */
    record Superseded(long revision, String hash) implements ApplyResult {
        @Override
        public Optional<WireMessage> reply() {
            return Optional.empty();
        }
    }
}
