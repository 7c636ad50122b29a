package io.ponte.hub.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The hidden field of every form, for templates: {@code {inject:csrf.parameterName}} and {@code
 * {inject:csrf.token}}. One token per page; any earlier page's token stays valid.
 */
@RequestScoped
@Named("csrf")
public class FormTokenField {

  @Inject FormTokens tokens;
  @Inject SecurityIdentity identity;

  private String token;

  public String getParameterName() {
    return FormTokens.FIELD;
  }

  public String getToken() {
    if (token == null) {
      token = tokens.issue(identity);
    }
    return token == null ? "" : token;
  }
}
