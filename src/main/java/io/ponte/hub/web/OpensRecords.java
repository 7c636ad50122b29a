package io.ponte.hub.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page whose GET opens someone's records in the signed-in person's name (a search, a timeline, a
 * study's pages), audited as hers: {@link CrossSiteOpening} asks her first when another site sent
 * her there.
 */
@NameBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface OpensRecords {}
