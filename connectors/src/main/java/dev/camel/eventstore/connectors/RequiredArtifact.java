package dev.camel.eventstore.connectors;

import org.apache.camel.CamelContext;

/**
 * A Camel component a connector needs and the connectors library leaves optional (camel-kafka, camel-http): checked
 * when a connector is created, so that a missing one is named as the artifact to add, not found later as a
 * NoClassDefFoundError or an unknown endpoint scheme.
 *
 * @param className a class of the artifact
 * @param artifact the artifact, as {@code groupId:artifactId}
 */
record RequiredArtifact(String className, String artifact) {
    static final RequiredArtifact CAMEL_LOG =
            new RequiredArtifact("org.apache.camel.component.log.LogComponent", "org.apache.camel:camel-log");
    static final RequiredArtifact CAMEL_HTTP =
            new RequiredArtifact("org.apache.camel.component.http.HttpComponent", "org.apache.camel:camel-http");
    static final RequiredArtifact CAMEL_KAFKA =
            new RequiredArtifact("org.apache.camel.component.kafka.KafkaComponent", "org.apache.camel:camel-kafka");

    /**
     * @param user what needs it, as the message names it: a template id, or a setting
     * @throws IllegalStateException naming the artifact when its class is not on the class path
     */
    void check(CamelContext context, String user) {
        if (context.getClassResolver().resolveClass(className) == null) {
            throw new IllegalStateException(user + " needs " + artifact + " on the class path");
        }
    }
}
