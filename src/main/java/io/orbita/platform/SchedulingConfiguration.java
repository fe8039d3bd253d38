package io.orbita.platform;

import java.util.concurrent.Executor;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Periodic housekeeping (partitions, clean-ups) and asynchronous module listeners. Every job must be safe on several nodes. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableAsync
class SchedulingConfiguration implements AsyncConfigurer {

    private final int listenerThreads;

    SchedulingConfiguration(@Value("${orbita.listeners.threads:8}") int listenerThreads) {
        this.listenerThreads = listenerThreads;
    }

    /**
     * Module listeners ({@code @ApplicationModuleListener}) each hold a pooled database connection for their whole
     * transaction. On unbounded virtual threads a burst of events (an import publishes one {@code ContactsChanged} per
     * batch) started a listener per event, and the ones waiting for a segment's lock emptied the connection pool, so
     * API calls failed. A fixed number of (virtual) threads with a queue in front keeps listeners to a few connections;
     * publishers never wait for the queue, and the event registry still holds every publication until it completes.
     */
    @Override
    public Executor getAsyncExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(listenerThreads);
        executor.setMaxPoolSize(listenerThreads);
        executor.setVirtualThreads(true);
        executor.setThreadNamePrefix("listener-");
        executor.initialize();
        return executor;
    }
}
