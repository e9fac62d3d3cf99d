package org.safepath.app;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.safepath.connectors.config.SafePathEnvironment;
import org.safepath.jobs.SafePathJobs;
import org.safepath.jobs.config.JobCommandLine;

/**
 * Checks the deployment files of {@code infra/deploy} offline, against the same definitions the code uses: job
 * arguments against the job's options, command lines against the {@code safepath} command, environment variables
 * against {@link SafePathEnvironment}, Flink settings against Flink's own {@link ConfigOption}s, image tags against
 * the versions the project builds with. Each problem is one line naming the file and what is wrong.
 */
final class DeploymentFiles {

    static final String JOBS_JAR = "/opt/flink/usrlib/safepath-jobs.jar";
    /** What the Flink image itself reads from its environment. */
    private static final Set<String> FLINK_IMAGE_ENV = Set.of("FLINK_PROPERTIES", "ENABLE_BUILT_IN_PLUGINS");
    /** Where secrets are mounted as files. */
    private static final List<String> SECRET_DIRS = List.of("/run/secrets/", "/etc/safepath/secrets/");
    /** Flink's option classes whose keys a deployment may set. */
    private static final List<Class<?>> FLINK_OPTIONS = List.of(org.apache.flink.configuration.CoreOptions.class,
            org.apache.flink.configuration.CheckpointingOptions.class, org.apache.flink.configuration.StateBackendOptions.class,
            org.apache.flink.configuration.JobManagerOptions.class, org.apache.flink.configuration.TaskManagerOptions.class,
            org.apache.flink.configuration.HighAvailabilityOptions.class, org.apache.flink.configuration.RestartStrategyOptions.class,
            org.apache.flink.configuration.PipelineOptions.class, org.apache.flink.configuration.RestOptions.class,
            org.apache.flink.configuration.StateRecoveryOptions.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, String> versions;
    private final Map<String, ConfigOption<?>> flinkOptions = new TreeMap<>();
    final List<String> problems = new ArrayList<>();

    /** {@code versions}: flink, kafka, elasticsearch, apicurio and safepath, as the build has them. */
    DeploymentFiles(Map<String, String> versions) throws IllegalAccessException {
        this.versions = versions;
        for (Class<?> c : FLINK_OPTIONS) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    flinkOptions.put(o.key(), o);
                    for (FallbackKey k : o.fallbackKeys()) {
                        flinkOptions.putIfAbsent(k.getKey(), o);
                    }
                }
            }
        }
    }

    /** The versions the build uses, read from the project's poms. */
    static Map<String, String> buildVersions(Path root) throws IOException {
        String pom = Files.readString(root.resolve("pom.xml"));
        String registryPom = Files.readString(root.resolve("infra/registry/pom.xml"));
        Map<String, String> v = new HashMap<>();
        v.put("flink", property(pom, "flink.version"));
        v.put("kafka", property(pom, "kafka.version"));
        v.put("elasticsearch", property(pom, "elasticsearch.version"));
        v.put("apicurio", property(registryPom, "apicurio.version"));
        Matcher m = Pattern.compile("<artifactId>safepath-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("pom.xml has no project version");
        }
        v.put("safepath", m.group(1));
        return v;
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("no property " + name);
        }
        return m.group(1);
    }

    private void problem(Path file, String what) {
        problems.add(file.getFileName() + ": " + what);
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static List<String> strings(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** An image with a version tag; where it is one the project builds with, the same version. */
    void image(Path file, String image) {
        int colon = image.lastIndexOf(':');
        if (colon < 0 || colon < image.lastIndexOf('/') || image.contains("@") && !image.contains("@sha256:")) {
            problem(file, "image " + image + " is not pinned to a version");
            return;
        }
        String name = image.substring(0, colon);
        String tag = image.substring(colon + 1);
        if (tag.equals("latest") || !tag.matches(".*\\d.*")) {
            problem(file, "image " + image + " is not pinned to a version");
            return;
        }
        String want = switch (name) {
            case "flink" -> versions.get("flink") + "-java17";
            case "apache/kafka" -> versions.get("kafka");
            case "elasticsearch", "kibana" -> versions.get("elasticsearch");
            case "apicurio/apicurio-registry-kafkasql", "apicurio/apicurio-registry-mem" -> versions.get("apicurio");
            case "safepath-jobs", "safepath-app" -> versions.get("safepath");
            default -> null;
        };
        if (want != null && !tag.equals(want)) {
            problem(file, "image " + image + " is not the version the project builds and tests with (" + want + ")");
        }
    }

    /** Job arguments, as {@code flink run} or the operator passes them to {@link SafePathJobs}. */
    void jobArguments(Path file, List<String> args) {
        try {
            JobCommandLine.check(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            problem(file, "job arguments " + args + ": " + e.getMessage());
        }
    }

    /** A {@code safepath} command line (dispatch, dashboard ...), parsed by the command itself. */
    void command(Path file, String service, List<String> args) {
        try {
            SafePath.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (picocli.CommandLine.ParameterException e) {
            problem(file, service + ": command " + args + ": " + e.getMessage());
        }
    }

    /** Flink settings: every key one of Flink's options, every value one it can read. */
    void flinkSettings(Path file, Map<String, String> settings) {
        settings.forEach((key, value) -> {
            ConfigOption<?> o = flinkOptions.get(key);
            if (o == null) {
                problem(file, "Flink setting " + key + " is not one of Flink's options");
                return;
            }
            try {
                Configuration c = new Configuration();
                c.setString(key, value);
                c.get(o);
            } catch (RuntimeException e) {
                problem(file, "Flink setting " + key + ": cannot read '" + value + "' (" + e.getMessage() + ")");
            }
        });
    }

    private static Map<String, String> flinkProperties(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            out.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
        }
        return out;
    }

    /**
     * SafePath's environment: every name one the code reads (or the Flink image's own), no secret's value in the
     * file (only its {@code _FILE} variant, naming a file in a secrets folder that {@code secretDirs} has mounted).
     */
    void environment(Path file, String where, Map<String, String> env, List<String> secretDirs) {
        List<String> accepted = SafePathEnvironment.accepted();
        env.forEach((name, value) -> {
            if (FLINK_IMAGE_ENV.contains(name)) {
                return;
            }
            if (!accepted.contains(name)) {
                problem(file, where + ": environment variable " + name + " is not one SafePath reads " + accepted);
                return;
            }
            for (SafePathEnvironment e : SafePathEnvironment.values()) {
                if (e.secret() && e.variable().equals(name)) {
                    problem(file, where + ": " + name + " is a secret and is given in clear; give " + name
                            + SafePathEnvironment.FILE_SUFFIX + ", a mounted secret file");
                }
                if (e.secret() && (e.variable() + SafePathEnvironment.FILE_SUFFIX).equals(name)
                        && secretDirs.stream().noneMatch(value::startsWith)) {
                    problem(file, where + ": " + name + " names " + value + ", which is not in a mounted secrets folder " + secretDirs);
                }
            }
        });
    }

    /** {@code infra/deploy/kubernetes/*.yaml}: the FlinkDeployment. */
    void kubernetes(Path file) throws IOException {
        for (JsonNode doc : documents(file)) {
            if (!"FlinkDeployment".equals(doc.path("kind").asText())) {
                continue;
            }
            JsonNode spec = doc.path("spec");
            image(file, spec.path("image").asText());
            String flink = versions.get("flink");
            String wantVersion = "v" + flink.substring(0, flink.lastIndexOf('.')).replace('.', '_');
            if (!spec.path("flinkVersion").asText().equals(wantVersion)) {
                problem(file, "flinkVersion " + spec.path("flinkVersion").asText() + " is not " + wantVersion);
            }
            Map<String, String> settings = new TreeMap<>();
            spec.path("flinkConfiguration").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            flinkSettings(file, settings);
            JsonNode job = spec.path("job");
            if (!job.path("entryClass").asText().equals(SafePathJobs.class.getName())) {
                problem(file, "job.entryClass " + job.path("entryClass").asText() + " is not " + SafePathJobs.class.getName());
            }
            if (!job.path("jarURI").asText().equals("local://" + JOBS_JAR)) {
                problem(file, "job.jarURI " + job.path("jarURI").asText() + " is not where the jobs image has the jar (local://" + JOBS_JAR + ")");
            }
            jobArguments(file, strings(job.path("args")));
            JsonNode pod = spec.path("podTemplate").path("spec");
            Map<String, String> secretVolumes = new HashMap<>();
            pod.path("volumes").forEach(v -> {
                if (v.has("secret")) {
                    secretVolumes.put(v.path("name").asText(), v.path("secret").path("secretName").asText());
                }
            });
            for (JsonNode c : pod.path("containers")) {
                List<String> secretDirs = new ArrayList<>();
                c.path("volumeMounts").forEach(m -> {
                    if (secretVolumes.containsKey(m.path("name").asText())) {
                        secretDirs.add(m.path("mountPath").asText() + "/");
                    }
                });
                Map<String, String> env = new TreeMap<>();
                c.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
                environment(file, c.path("name").asText(), env, secretDirs);
            }
        }
    }

    /** {@code infra/deploy/compose/compose.yaml}. */
    void compose(Path file) throws IOException {
        JsonNode compose = documents(file).get(0);
        Set<String> declaredSecrets = new java.util.HashSet<>();
        compose.path("secrets").fieldNames().forEachRemaining(declaredSecrets::add);
        for (Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> service = it.next();
            String name = service.getKey();
            JsonNode s = service.getValue();
            String image = s.path("image").asText();
            image(file, image);
            if (!image.startsWith("safepath-")) {
                continue;
            }
            List<String> mounted = new ArrayList<>();
            for (JsonNode secret : s.path("secrets")) {
                if (!declaredSecrets.contains(secret.asText())) {
                    problem(file, name + ": secret " + secret.asText() + " is not declared under secrets");
                }
                mounted.add("/run/secrets/" + secret.asText());
            }
            Map<String, String> env = new TreeMap<>();
            s.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            environment(file, name, env, List.of("/run/secrets/"));
            env.forEach((k, v) -> {
                if (k.endsWith(SafePathEnvironment.FILE_SUFFIX) && v.startsWith("/run/secrets/") && !mounted.contains(v)) {
                    problem(file, name + ": " + k + " names " + v + ", a secret the service does not mount");
                }
            });
            if (env.containsKey("FLINK_PROPERTIES")) {
                flinkSettings(file, flinkProperties(env.get("FLINK_PROPERTIES")));
            }
            List<String> command = strings(s.path("command"));
            if (image.startsWith("safepath-app:")) {
                command(file, name, command);
            } else if (!command.isEmpty() && command.get(0).equals("standalone-job")) {
                int at = command.indexOf("--job-classname");
                if (at < 0 || !command.get(at + 1).equals(SafePathJobs.class.getName())) {
                    problem(file, name + ": standalone-job does not run " + SafePathJobs.class.getName());
                } else {
                    jobArguments(file, command.subList(at + 2, command.size()));
                }
            } else if (!command.equals(List.of("taskmanager"))) {
                problem(file, name + ": the jobs image runs standalone-job or taskmanager, not " + command);
            }
        }
    }

    /** The Dockerfile: every base image pinned, the jobs jar where the deployments look for it. */
    void dockerfile(Path file) throws IOException {
        String text = Files.readString(file);
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(text);
        while (from.find()) {
            image(file, from.group(1));
        }
        if (!text.contains(" " + JOBS_JAR)) {
            problem(file, "the jobs image does not put the jar at " + JOBS_JAR);
        }
    }

    /** Every deployment file under {@code deploy}. */
    static List<String> check(Path deploy, Map<String, String> versions) throws Exception {
        DeploymentFiles d = new DeploymentFiles(versions);
        d.dockerfile(deploy.resolve("Dockerfile"));
        d.compose(deploy.resolve("compose/compose.yaml"));
        try (var files = Files.list(deploy.resolve("kubernetes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                d.kubernetes(f);
            }
        }
        return d.problems;
    }
}
