package io.orbita.delivery.internal;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/** Lets a freshly queued message start the idle workers of this node at once instead of at their next poll. */
@Component
public class Wakeup {

    private final Semaphore signals = new Semaphore(0);

    public void signal() {
        if (signals.availablePermits() < 64) {
            signals.release();
        }
    }

    /** Waits for a signal or the timeout, whichever comes first. */
    void await(Duration timeout) throws InterruptedException {
        if (signals.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            signals.drainPermits();
        }
    }
}
