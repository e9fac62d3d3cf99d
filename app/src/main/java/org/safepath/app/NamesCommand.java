package org.safepath.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.safepath.connectors.elasticsearch.ElasticsearchClients;
import org.safepath.connectors.elasticsearch.IndexOperation;
import org.safepath.connectors.elasticsearch.NameDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Loads what codes are called, so the dashboard shows "Salisbury District Hospital (RNZ02)" and "Wiltshire (E06000054)"
 * rather than codes alone: a CSV of {@code kind,code,name} from the council's reference data (the ODS export of its
 * NHS partners' sites, the ONS list of councils). Care homes' names come by themselves from the provider reference data.
 */
@Command(name = "names", mixinStandardHelpOptions = true,
        description = {"Load the names of hospital sites (ODS codes) and councils (ONS codes) shown beside their codes.",
                "FILE is a CSV with the header kind,code,name; kind is ods_site, local_authority or cqc_location."})
final class NamesCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, paramLabel = "FILE", description = "The CSV of names.")
    Path file;
    @Mixin
    ElasticsearchOption es;

    record Name(String kind, String code, String name) {
    }

    /** The file's names, and a message for each line that is not one. */
    record Parsed(List<Name> names, List<String> rejected) {
    }

    @Override
    public Integer call() throws IOException {
        Parsed parsed;
        try (Reader in = Files.newBufferedReader(file)) {
            parsed = read(file.getFileName().toString(), in);
        }
        parsed.rejected().forEach(System.err::println);
        try (var transport = es.transport()) {
            write(ElasticsearchClients.blocking(transport), parsed.names(), System.currentTimeMillis());
        }
        System.out.printf("Loaded %d names from %s; %d lines rejected.%n", parsed.names().size(), file, parsed.rejected().size());
        return parsed.rejected().isEmpty() ? 0 : BacktestCommand.EXIT_REJECTS;
    }

    /** {@code source}: the file's name, for the messages. */
    static Parsed read(String source, Reader in) throws IOException {
        List<Name> names = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        {
            var records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).build().parse(in);
            if (!records.getHeaderNames().containsAll(List.of("kind", "code", "name"))) {
                throw new UsageException(source + " must start with the header kind,code,name (it has " + records.getHeaderNames() + ")");
            }
            for (CSVRecord r : records) {
                String where = source + " line " + (r.getRecordNumber() + 1) + ": ";
                String kind = r.isSet("kind") ? r.get("kind") : "";
                String code = r.isSet("code") ? r.get("code") : "";
                String name = r.isSet("name") ? r.get("name") : "";
                if (!NameDocuments.KINDS.contains(kind)) {
                    rejected.add(where + "kind '" + kind + "' is not one of " + NameDocuments.KINDS);
                } else if (code.isEmpty() || name.isEmpty()) {
                    rejected.add(where + "needs both a code and a name");
                } else {
                    names.add(new Name(kind, code, name));
                }
            }
        }
        return new Parsed(names, rejected);
    }

    /** The simulated council's hospital sites and councils, by name, as a council would load its own (the demo). */
    static void loadSyntheticCouncil(String elasticsearch) throws IOException {
        Parsed parsed;
        try (Reader in = new java.io.InputStreamReader(java.util.Objects.requireNonNull(
                org.safepath.simulator.SyntheticCouncil.class.getResourceAsStream("/synthetic-council-names.csv")),
                java.nio.charset.StandardCharsets.UTF_8)) {
            parsed = read("synthetic-council-names.csv", in);
        }
        try (var transport = ElasticsearchClients.transport(org.safepath.connectors.elasticsearch.ElasticsearchSettings.fromEnvironment(elasticsearch))) {
            write(ElasticsearchClients.blocking(transport), parsed.names(), 0L);
        }
    }

    /** Versioned by the load's time: a later load, or later reference data, wins over this one. */
    static void write(ElasticsearchClient client, List<Name> names, long at) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<BulkOperation> ops = new ArrayList<>();
        for (Name n : names) {
            IndexOperation op = NameDocuments.of(n.kind(), n.code(), n.name(), null, at);
            JsonNode doc = json.readTree(op.source());
            ops.add(BulkOperation.of(b -> b.index(i -> i.index(op.index()).id(op.id()).version(op.version())
                    .versionType(VersionType.ExternalGte).document(doc))));
        }
        if (ops.isEmpty()) {
            return;
        }
        BulkResponse response = client.bulk(b -> b.operations(ops).refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
        if (response.errors()) {
            throw new IOException("Elasticsearch did not take every name: " + response.items().stream()
                    .filter(i -> i.error() != null).map(i -> i.id() + ": " + i.error().reason()).limit(5).toList());
        }
    }
}
