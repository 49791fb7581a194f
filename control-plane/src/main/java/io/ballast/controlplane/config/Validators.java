package io.ballast.controlplane.config;

import io.ballast.model.snapshot.SnapshotValidator;
import io.ballast.model.validation.AddressPolicy;
import io.ballast.model.validation.ModelValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The validators every write and every revision use, with the configured address policy:
 * link-local and cloud-metadata addresses are always refused; private and loopback addresses
 * only when {@code ballast.address-policy.allow-private=false} (env
 * {@code BALLAST_ADDRESS_POLICY_ALLOW_PRIVATE}).
 */
@ApplicationScoped
public class Validators {

    @Produces
    @Singleton
    ModelValidator model(@ConfigProperty(name = "ballast.address-policy.allow-private", defaultValue = "true") boolean allowPrivate) {
        return new ModelValidator(new AddressPolicy(allowPrivate));
    }

    @Produces
    @Singleton
    SnapshotValidator snapshot(ModelValidator model) {
        return new SnapshotValidator(model);
    }
}
