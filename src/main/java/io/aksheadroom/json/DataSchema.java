package io.aksheadroom.json;

import java.net.URI;

/**
 * The JSON Schema of each kind of record the service writes, as the schema names itself ({@code $id}) and every
 * record names it ({@code ce_dataschema}): the files of docs/schemas, published under {@link #BASE}.
 */
public enum DataSchema {

    CLUSTER_PROFILE("cluster-profile.v1.schema.json"),
    NODE_EVENT("node-event.v1.schema.json"),
    LB_METRICS("lb-metrics.v1.schema.json"),
    LB_MINUTE("lb-minute.v1.schema.json"),
    NATGW_METRICS("natgw-metrics.v1.schema.json"),
    RECOMMENDATION("recommendation.v1.schema.json"),
    ALERT("alert.v1.schema.json"),
    ACTION("action.v1.schema.json");

    /**
     * Where docs/schemas is published: every schema's {@code $id} starts with it. An identifier first, so it stays
     * with a release's records even when the repository moves.
     */
    public static final String BASE = "https://raw.githubusercontent.com/aksheadroom/aks-headroom/main/docs/schemas/";

    private final String file;
    private final URI id;

    DataSchema(String file) {
        this.file = file;
        this.id = URI.create(BASE + file);
    }

    /** Its file in docs/schemas. */
    public String file() {
        return file;
    }

    /** Its {@code $id}, the records' {@code ce_dataschema}. */
    public URI id() {
        return id;
    }
}
