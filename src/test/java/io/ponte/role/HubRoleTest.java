package io.ponte.role;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.ponte.testing.HubTestProfile;
import io.ponte.testing.Tokens;
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
        String token = Tokens.user("ana.clinic");
        given().auth().oauth2(token).get("/hub/api/me").then().statusCode(404);
        given().auth().oauth2(token).get("/node/dicomweb/studies").then().statusCode(404);
    }

    @Test
    void hubEndpointsAreServedAtTheirPublicPath() {
        given().auth().oauth2(Tokens.user("ana.clinic")).get("/api/me").then().statusCode(200)
                .body("organization", equalTo("clinic-norte"));
    }
}
