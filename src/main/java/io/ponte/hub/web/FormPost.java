package io.ponte.hub.web;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a page's POST method: {@link FormTokenCheck} runs before it (and only before it, so no
 * other endpoint has its body read as a form). Every POST of io.ponte.hub.web carries it and
 * consumes URL-encoded forms only ({@code FormPostRulesTest}).
 */
@NameBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface FormPost {}
