package io.ballast.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionPolicyTest {
    private final VersionPolicy policy = new VersionPolicy(List.of(0, 1));

    @Test
    void acceptsSupportedMajorsAndVersionsWithoutANumericMajor() {
        assertThat(policy.refusal("0.1.0-SNAPSHOT")).isEmpty();
        assertThat(policy.refusal("1.7.3")).isEmpty();
        assertThat(policy.refusal("v1.2")).isEmpty();
        assertThat(policy.refusal("1")).isEmpty();
        assertThat(policy.refusal("dev")).isEmpty();
        assertThat(policy.refusal(null)).isEmpty();
    }

    @Test
    void refusesAnUnsupportedMajorAndSaysWhichAreSupported() {
        assertThat(policy.refusal("2.0.0")).hasValueSatisfying(reason -> assertThat(reason)
                .contains("major version 2").contains("2.0.0").contains("[0, 1]"));
        assertThat(policy.refusal("v10.1")).isPresent();
    }
}
