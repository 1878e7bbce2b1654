package io.aksheadroom.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.aksheadroom.contracts.Contracts;
import io.aksheadroom.support.PlanVectors;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The public vectors and the 400 contract, through HTTP. */
@QuarkusTest
class PlanResourceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> everyValidVectorPassesThroughTheApi() {
        return PlanVectors.valid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            String answer = given().contentType(ContentType.JSON).body(vector.get("profile").toString())
                    .when().post("/api/v1/plan")
                    .then().statusCode(200).contentType(ContentType.JSON)
                    .extract().asString();
            PlanVectors.check(vector, MAPPER.readTree(answer));
            assertEquals(List.of(), Contracts.lenient().errors("cluster-profile.v1.schema.json",
                    vector.get("profile").toString()), "the request, against the schema the API documents");
            assertEquals(List.of(), Contracts.strict().errors("plan.v1.schema.json", answer),
                    "the answer, against the schema the API documents");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyImpossibleVectorIsAProblemNamingItsField() {
        return PlanVectors.invalid().stream().map(vector -> DynamicTest.dynamicTest(vector.get("name").asText(), () -> {
            JsonNode profile = vector.get("profile");
            given().contentType(ContentType.JSON).body(profile.toString())
                    .when().post("/api/v1/plan")
                    .then().statusCode(vector.get("expectStatus").asInt())
                    .contentType(Problem.MEDIA_TYPE)
                    .body("status", equalTo(400))
                    .body("field", equalTo(PlanVectors.invalidField(vector)));
        }));
    }

    @Test
    void negativeCountNamesThePoolField() {
        JsonNode vector = PlanVectors.named("negative-count");
        given().contentType(ContentType.JSON).body(vector.get("profile").toString())
                .when().post("/api/v1/plan")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("field", equalTo("agentPoolProfiles[0].count"))
                .body("detail", containsString("-1"));
    }

    @Test
    void malformedJsonIsAProblemWithItsPosition() {
        given().contentType(ContentType.JSON).body("{\"name\": \"c1\", ")
                .when().post("/api/v1/plan")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Malformed JSON"))
                .body("detail", containsString("line 1"));
    }

    @Test
    void wrongTypeNamesTheField() {
        String body = "{\"name\":\"c1\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":\"three\"}],"
                + "\"subnets\":{\"default\":\"10.224.0.0/16\"}}";
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/plan")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("field", equalTo("agentPoolProfiles[0].count"))
                .body("detail", containsString("expected an integer"));
    }

    @Test
    void deeplyNestedJsonIsRefusedNotACrash() {
        String body = "{\"name\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/plan")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aPoolWithoutSubnetAsksForTheDefaultEntry() {
        String body = "{\"name\":\"c1\",\"agentPoolProfiles\":[{\"name\":\"p\",\"count\":3}]}";
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/plan")
                .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("field", equalTo("subnets"))
                .body("detail", containsString("'default'"));
    }

    @Test
    void findingsCarryTheFixingCommand() {
        JsonNode vector = PlanVectors.named("manual-surge-overflows");
        given().contentType(ContentType.JSON).body(vector.get("profile").toString())
                .when().post("/api/v1/plan")
                .then().statusCode(200)
                .body("findings.find { it.rule == 'SNAT-6' }.severity", equalTo("critical"))
                .body("findings.find { it.rule == 'SNAT-6' }.message", containsString("84,000"))
                .body("actions[0]", startsWith("az aks update --resource-group rg-c"))
                .body("actions[0]", containsString("--load-balancer-managed-outbound-ip-count 2"));
    }

    @Test
    void anAutoscalerPastItsCeilingIsOfferedTheCeilingAsAnAction() {
        JsonNode vector = PlanVectors.named("cni-50-nodes-slash22-too-small");
        given().contentType(ContentType.JSON).body(vector.get("profile").toString())
                .when().post("/api/v1/plan")
                .then().statusCode(200)
                .body("pools[0].maxCountCeiling", equalTo(29))
                .body("actions", hasItem("Instead of more addresses or IPs, cap pool nodepool1's autoscaler at its "
                        + "ceiling (maxCount 50, ceiling 29): az aks nodepool update --resource-group rg-c8 "
                        + "--cluster-name c8 --name nodepool1 --update-cluster-autoscaler --min-count 1 --max-count 29"));
    }

    /**
     * The API's request and answer are the profile and the plan of the Kafka contract, written once: the OpenAPI
     * document's schemas are the files docs/asyncapi.yaml references for the profiles and the recommendations.
     */
    @Test
    void theOpenApiDocumentDescribesThePlanWithTheKafkaContractsSchemas() throws Exception {
        JsonNode openApi = MAPPER.readTree(given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString());
        JsonNode post = openApi.path("paths").path("/api/v1/plan").path("post");
        assertEquals("#/components/schemas/" + SharedSchemas.PROFILE,
                post.at("/requestBody/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/" + SharedSchemas.PLAN,
                post.at("/responses/200/content/application~1json/schema/$ref").asText());
        assertTrue(post.at("/responses/400/content").has(Problem.MEDIA_TYPE));

        Path docs = Path.of("docs");
        JsonNode asyncApi = new ObjectMapper(new YAMLFactory()).readTree(docs.resolve("asyncapi.yaml").toFile());
        Path profile = docs.resolve(asyncApi.at("/components/messages/clusterProfile/payload/schema/$ref").asText());
        assertEquals(MAPPER.readTree(profile.toFile()), openApi.at("/components/schemas/" + SharedSchemas.PROFILE));
        Path recommendation = docs.resolve(asyncApi.at("/components/messages/recommendation/payload/schema/$ref")
                .asText());
        Path plan = recommendation.resolveSibling(MAPPER.readTree(recommendation.toFile()).at("/allOf/0/$ref")
                .asText());
        assertEquals(MAPPER.readTree(plan.toFile()), openApi.at("/components/schemas/" + SharedSchemas.PLAN));
    }
}
