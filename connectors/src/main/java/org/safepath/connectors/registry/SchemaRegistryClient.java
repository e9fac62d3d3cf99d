package org.safepath.connectors.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.safepath.connectors.config.SafePathEnvironment;
import org.safepath.connectors.tls.CaCertificates;

/**
 * A small, exact client for the Confluent Schema Registry REST API: register, schema by id, latest by
 * subject, compatibility check and per-subject compatibility config. Schemas by id and ids by schema are
 * cached for the life of the client (ids are immutable in a registry).
 */
public final class SchemaRegistryClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final RegistrySettings settings;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    /** By subject and schema: Avro caches a schema's hash, and the same instance compares equal at once. */
    private final Map<SubjectSchema, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public SchemaRegistryClient(RegistrySettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.requestTimeout());
        if (settings.caCertificatePath() != null) {
            builder.sslContext(CaCertificates.sslContextTrusting(Path.of(settings.caCertificatePath()), "schema registry"));
        }
        this.http = builder.build();
    }

    public String url() {
        return settings.url();
    }

    /** Registers the schema under the subject (or finds it already there) and returns its global id. */
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", "/subjects/" + enc(subject) + "/versions", body(schema));
        int id = answer.get("id").asInt();
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The writer schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    /** The latest version under the subject, or empty when the subject does not exist. */
    public Optional<RegisteredSchema> latest(String subject) {
        try {
            JsonNode answer = send("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
            Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
            return Optional.of(new RegisteredSchema(subject, answer.get("version").asInt(), answer.get("id").asInt(), schema));
        } catch (RegistryException e) {
            // Confluent says 40401 for an unknown subject, Apicurio 40402: both are 404.
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Whether the schema could be registered under the subject under its compatibility rule. */
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", body(schema));
            return answer.path("is_compatible").asBoolean(false);
        } catch (RegistryException e) {
            if (e.notFound()) {
                return true;
            }
            throw e;
        }
    }

    /** Sets the subject's compatibility rule (registries differ in their default: Apicurio's is NONE). */
    public void setCompatibility(String subject, String level) {
        send("PUT", "/config/" + enc(subject), JSON.createObjectNode().put("compatibility", level).toString());
    }

    public Optional<String> compatibility(String subject) {
        try {
            JsonNode answer = send("GET", "/config/" + enc(subject), null);
            JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
            return Optional.ofNullable(level).map(JsonNode::asText);
        } catch (RegistryException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    }

    private static String body(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String enc(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url() + path))
                .timeout(settings.requestTimeout())
                .header("Accept", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (settings.basicAuthUserInfo() != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
        } else if (settings.bearerToken() != null) {
            request.header("Authorization", "Bearer " + settings.bearerToken());
        }
        HttpRequest built = request.build();
        long backoffMillis = 200;
        IOException lastFailure = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
                }
                if (status >= 500 && attempt < settings.maxAttempts()) {
                    sleep(backoffMillis);
                    backoffMillis *= 2;
                    continue;
                }
                throw error(method, path, status, response.body());
            } catch (IOException e) {
                lastFailure = e;
                if (attempt < settings.maxAttempts()) {
                    sleep(backoffMillis);
                    backoffMillis *= 2;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("Interrupted talking to the schema registry", 0, 0, e);
            }
        }
        throw new RegistryException("The schema registry at " + settings.url() + " did not answer ("
                + lastFailure + "). Is it running? Set --registry or SAFEPATH_REGISTRY_URL.", 0, 0, lastFailure);
    }

    private RegistryException error(String method, String path, int status, String body) {
        if (status == 401 || status == 403) {
            return new RegistryException("The schema registry at " + settings.url() + " refused SafePath's credentials (" + status
                    + "). Check " + SafePathEnvironment.REGISTRY_USER_INFO.variable() + " or " + SafePathEnvironment.REGISTRY_TOKEN.variable()
                    + " (or their " + SafePathEnvironment.FILE_SUFFIX + " files).", status, status, null);
        }
        int code = status;
        String message = body;
        try {
            JsonNode json = JSON.readTree(body);
            code = json.path("error_code").asInt(status);
            message = json.path("message").asText(body);
        } catch (IOException ignored) {
            // not JSON: keep the raw body
        }
        return new RegistryException("Schema registry " + method + " " + path + " answered " + status + " ("
                + code + "): " + message, status, code, null);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
