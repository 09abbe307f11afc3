package dev.jtorrent.tracker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Looks up a tracker's host within a deadline, so that {@link HttpTracker} can check the address ({@link
 * AddressPolicy}) before anything connects to it.
 */
final class HostLookup {
    private HostLookup() {
    }

    /**
     * The host's address, looked up within the deadline: the system resolver can take longer than any tracker
     * timeout, so a name is looked up on a virtual thread of its own and abandoned when time runs out. An address
     * literal needs no lookup.
     */
    static InetAddress resolve(String host, long deadline, HttpErrors errors)
            throws TrackerException, InterruptedException {
        var literal = IpLiteral.parse(host);
        if (literal.isPresent()) {
            return literal.get();
        }
        FutureTask<InetAddress> lookup = new FutureTask<>(() -> InetAddress.getByName(host));
        Thread.ofVirtual().name("resolve " + host).start(lookup);
        try {
            return lookup.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw errors.timeout();
        } catch (InterruptedException e) {
            lookup.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw HttpErrors.unreachable("unknown host " + host, e.getCause());
            }
            throw HttpErrors.unreachable(e.getCause());
        }
    }
}
