/**
 * Helpers the test suites of every module share: reading back what a test wrote to EventStoreDB through the real
 * client ({@link dev.camel.eventstore.testkit.support.StreamReads}), and capturing what a logger logs
 * ({@link dev.camel.eventstore.testkit.support.LogCapture}, which needs Logback on the class path).
 */
package dev.camel.eventstore.testkit.support;
