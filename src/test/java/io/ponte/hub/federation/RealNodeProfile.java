package io.ponte.hub.federation;

import io.ponte.testing.HubTestProfile;
import java.util.List;

/** The hub under test, federating one real node process (hospital-a). */
public class RealNodeProfile extends HubTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RealNodeResource.class));
    }
}
