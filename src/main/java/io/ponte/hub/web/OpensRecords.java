package io.ponte.hub.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page whose GET opens someone's records in the signed-in person's name (a search, a timeline, a
 * study's pages, a list of people to review), audited as hers: {@link CrossSiteOpening} asks her
 * first when another site sent her there.
 */
@NameBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface OpensRecords {

  /**
   * The role the page requires: someone signed in without it gets the page's refusal ({@link
   * PageAccess#require}) before any question whether to open what she may not.
   */
  String role() default "";

  /**
   * Whether the page shows people even when its address names no one (a review list), rather than
   * only those its address names (a search, whose empty form opens no one).
   */
  boolean withoutNames() default false;
}
