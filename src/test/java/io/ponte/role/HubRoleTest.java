package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.HubTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(HubTestProfile.class)
class HubRoleTest {

    @Test
    void healthSaysHub() {
        given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'ponte-role' }.data.role", equalTo("hub"));
    }

    @Test
    void internalPrefixesAreNotAddressable() {
        given().get("/hub/anything").then().statusCode(404);
        given().get("/node/dicomweb/studies").then().statusCode(404);
    }
}
