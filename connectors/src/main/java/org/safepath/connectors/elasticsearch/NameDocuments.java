package org.safepath.connectors.elasticsearch;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a code is called, for people reading the figures: a care home's CQC location id beside its name. One document
 * per code in the names index, versioned by when the reference data changed, so a late copy never undoes a rename.
 * Names of places and services only; never a person's.
 */
public final class NameDocuments {

    /** The kind of code a CQC location id is, as the dimensions that hold one ({@code cqc_location_id}, {@code provider_location_id}). */
    public static final String CQC_LOCATION = "cqc_location";
    /** A hospital site's ODS code ({@code hospital_site}), e.g. RNZ02 Salisbury District Hospital. */
    public static final String ODS_SITE = "ods_site";
    /** A council's ONS code ({@code local_authority}, {@code host_local_authority}), e.g. E06000054 Wiltshire. */
    public static final String LOCAL_AUTHORITY = "local_authority";
    /** Every kind of code that has names. */
    public static final java.util.List<String> KINDS = java.util.List.of(CQC_LOCATION, ODS_SITE, LOCAL_AUTHORITY);
    /** Which kind of code each dimension holds, for the dimensions whose codes have names. */
    public static final java.util.Map<String, String> KIND_OF_DIMENSION = java.util.Map.of(
            "cqc_location_id", CQC_LOCATION, "provider_location_id", CQC_LOCATION, "hospital_site", ODS_SITE,
            "local_authority", LOCAL_AUTHORITY, "host_local_authority", LOCAL_AUTHORITY);

    private static final ObjectMapper JSON = new ObjectMapper();

    private NameDocuments() {
    }

    public static IndexOperation of(String kind, String code, String name, String localAuthority, long updatedAtMillis) {
        ObjectNode doc = JSON.createObjectNode().put("kind", kind).put("code", code).put("name", name);
        if (localAuthority != null) {
            doc.put("local_authority", localAuthority);
        }
        doc.put("updated_at", java.time.Instant.ofEpochMilli(updatedAtMillis).toString());
        return new IndexOperation(SafePathIndices.NAMES, kind + "/" + code, updatedAtMillis, doc.toString().getBytes(StandardCharsets.UTF_8));
    }
}
