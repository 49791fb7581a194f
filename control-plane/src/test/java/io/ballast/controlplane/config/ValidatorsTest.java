package io.ballast.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.ballast.model.Backend;
import io.ballast.model.validation.ModelValidator;
import org.junit.jupiter.api.Test;

/** The address policy setting: private and loopback addresses are refused only when it says so. */
class ValidatorsTest {
    private final Validators validators = new Validators();

    @Test
    void privateAddressesAreAllowedUnlessTheSettingForbidsThem() {
        ModelValidator allowing = validators.model(true);
        ModelValidator forbidding = validators.model(false);
        for (String host : new String[] {"10.0.0.1", "127.0.0.1", "192.168.1.1", "::1"}) {
            assertThat(allowing.backend(Backend.of(host, 80), "")).as(host).isEmpty();
            assertThat(forbidding.backend(Backend.of(host, 80), "")).as(host).extracting(v -> v.field()).containsExactly("host");
        }
        assertThat(forbidding.backend(Backend.of("203.0.113.7", 80), "")).isEmpty();
        assertThat(allowing.backend(Backend.of("169.254.169.254", 80), "")).isNotEmpty();
        assertThat(validators.snapshot(forbidding)).isNotNull();
    }
}
