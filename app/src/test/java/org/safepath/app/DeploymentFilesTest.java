package org.safepath.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files a platform team starts from (infra/deploy: the Dockerfile, the docker compose pilot, the
 * Kubernetes FlinkDeployment) cannot be run here, so they are checked offline: they parse, every image is pinned
 * (to the version the project builds with, where it is one of ours), and every argument, environment variable and
 * Flink setting they pass is one the application (or Flink) accepts, read from the same definitions the code uses.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("safepath.root", "..")).toAbsolutePath().normalize();
    private static final Path DEPLOY = ROOT.resolve("infra/deploy");

    @Test
    void theDeploymentFilesPassEveryArgumentVariableAndSettingTheApplicationAccepts() throws Exception {
        assertThat(DeploymentFiles.check(DEPLOY, DeploymentFiles.buildVersions(ROOT))).isEmpty();
    }

    /** A copy of the deployment files with one text replaced, checked. */
    private static List<String> problemsWith(Path dir, String file, String from, String to) throws Exception {
        Path copy = dir.resolve("deploy");
        Files.createDirectories(copy.resolve("compose"));
        Files.createDirectories(copy.resolve("kubernetes"));
        for (String f : List.of("Dockerfile", "compose/compose.yaml", "kubernetes/safepath-flinkdeployment.yaml")) {
            String text = Files.readString(DEPLOY.resolve(f));
            if (f.equals(file)) {
                assertThat(text).as("the test's mutation applies to %s", f).contains(from);
                text = text.replace(from, to);
            }
            Files.writeString(copy.resolve(f), text);
        }
        return DeploymentFiles.check(copy, DeploymentFiles.buildVersions(ROOT));
    }

    @Test
    void aMisspeltJobOptionAnUnknownVariableASecretInClearAndAnUnpinnedImageAreEachNamed(@TempDir Path dir) throws Exception {
        assertThat(problemsWith(dir, "kubernetes/safepath-flinkdeployment.yaml", "--checkpoint-interval", "--checkpoint-intervall"))
                .singleElement().asString().contains("safepath-flinkdeployment.yaml").contains("checkpoint-intervall");
        assertThat(problemsWith(dir, "kubernetes/safepath-flinkdeployment.yaml", "- 10s", "- ten seconds"))
                .singleElement().asString().contains("ten seconds");
        assertThat(problemsWith(dir, "compose/compose.yaml", "--host", "--hostname"))
                .singleElement().asString().contains("dashboard").contains("--hostname");
        assertThat(problemsWith(dir, "compose/compose.yaml", "SAFEPATH_ES_PASSWORD_FILE: /run/secrets/es_password\n    secrets:\n      - es_password\n    ports",
                "SAFEPATH_ES_PASSWORD: hunter2\n    secrets:\n      - es_password\n    ports"))
                .singleElement().asString().contains("SAFEPATH_ES_PASSWORD is a secret and is given in clear");
        assertThat(problemsWith(dir, "kubernetes/safepath-flinkdeployment.yaml", "SAFEPATH_ES_API_KEY_FILE", "SAFEPATH_ELASTIC_API_KEY_FILE"))
                .singleElement().asString().contains("SAFEPATH_ELASTIC_API_KEY_FILE is not one SafePath reads");
        assertThat(problemsWith(dir, "compose/compose.yaml", "image: kibana:8", "image: kibana:latest-8"))
                .singleElement().asString().contains("kibana:latest-8");
        assertThat(problemsWith(dir, "compose/compose.yaml", "image: elasticsearch:8.19.21", "image: elasticsearch"))
                .singleElement().asString().contains("not pinned");
        assertThat(problemsWith(dir, "compose/compose.yaml", "state.backend.type: rocksdb\n        execution.checkpointing.incremental",
                "state.backend.kind: rocksdb\n        execution.checkpointing.incremental"))
                .singleElement().asString().contains("state.backend.kind is not one of Flink's options");
        assertThat(problemsWith(dir, "kubernetes/safepath-flinkdeployment.yaml", "entryClass: org.safepath.jobs.SafePathJobs",
                "entryClass: org.safepath.SafePathJobs")).singleElement().asString().contains("entryClass");
        assertThat(problemsWith(dir, "compose/compose.yaml", "      - --config\n      - /run/secrets/delivery_properties",
                "      - --config\n      - /run/secrets/delivery_properties\n      - --retries\n      - \"3\""))
                .singleElement().asString().contains("dispatcher").contains("--retries");
        assertThat(problemsWith(dir, "Dockerfile", "FROM flink:2.2.1-java17", "FROM flink:2.1.0-java17"))
                .singleElement().asString().contains("not the version the project builds and tests with");
    }
}
