package dev.camel.eventstore.resume;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.resume.ResumeStrategy;
import org.apache.camel.spi.FactoryFinder;
import org.junit.jupiter.api.Test;

/** The service name the strategy reports is the one Camel finds it by, as a resumable() configuration does. */
class ResumeStrategyServiceTest {

    @Test
    void camelFindsTheStrategyByTheServiceNameItReports() throws Exception {
        String service =
                new EventStoreResumeStrategy().getResumeStrategyConfiguration().resumeStrategyService();
        assertThat(service).isEqualTo(EventStoreResumeStrategy.SERVICE);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            FactoryFinder finder = context.getCamelContextExtension().getFactoryFinder(FactoryFinder.DEFAULT_PATH);
            assertThat(finder.newInstance(service, ResumeStrategy.class))
                    .hasValueSatisfying(s -> assertThat(s).isInstanceOf(EventStoreResumeStrategy.class));
            assertThat(finder.newInstance(EventStoreResumeAdapter.FACTORY, EventStoreResumeAdapter.class))
                    .isPresent();
        }
    }
}
