package dev.jtorrent.swarm;

import java.net.InetSocketAddress;
import java.util.Set;

/** What a call on a {@link MetadataAssembly} did, for the caller to act on. */
sealed interface MetadataOutcome {
    /** Taken. */
    record Accepted() implements MetadataOutcome {
    }

    /** Not used, for {@code reason}; the peer is not at fault, or not provably. */
    record Ignored(String reason) implements MetadataOutcome {
    }

    /** The peer is not, or no longer, a source, for {@code reason}; the caller may disconnect it. */
    record Refused(String reason) implements MetadataOutcome {
    }

    /**
     * The pieces of an attempt did not hash to the info hash and were discarded; {@code suspects} are now
     * suspected, {@code dropped} are no longer sources (the caller may disconnect them).
     */
    record Failed(Set<InetSocketAddress> suspects, Set<InetSocketAddress> dropped) implements MetadataOutcome {
        public Failed {
            suspects = Set.copyOf(suspects);
            dropped = Set.copyOf(dropped);
        }
    }

    /** The info dictionary, its SHA-1 the info hash. */
    record Complete(byte[] info) implements MetadataOutcome {
        public Complete {
            info = info.clone();
        }

        @Override
        public byte[] info() {
            return info.clone();
        }
    }
}
