package io.ballast.controlplane.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a REST method needs. Without it, reads (GET, HEAD) need {@link Role#VIEWER} and
 * everything else {@link Role#ADMIN}, so a forgotten annotation fails closed.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiredRole {
    Role value();
}
