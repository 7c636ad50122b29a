package io.ponte.hub;

import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** The hub persistence unit's EntityManager, for the hub services that query it directly. */
@ApplicationScoped
public class HubDatabase {

  /**
   * Looked up lazily through Instance: one build runs both roles, and on a node the hub persistence
   * unit is inactive, so a direct injection of its EntityManager would fail the node's start-up.
   */
  @Inject
  @PersistenceUnit("hub")
  Instance<EntityManager> hubEntityManager;

  public EntityManager em() {
    return hubEntityManager.get();
  }
}
