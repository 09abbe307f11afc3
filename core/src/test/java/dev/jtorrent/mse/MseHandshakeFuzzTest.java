package dev.jtorrent.mse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Any bytes from the peer, as the initiator's side fed to {@code respond} (first input byte even) or as the
 * responder's side fed to {@code initiate} (odd), end the handshake or fail it with an {@link IOException}, never
 * another exception; and neither side reads more of them than its bound ({@link MseHandshake#RESPONDER_CAPACITY},
 * {@link MseHandshake#INITIATOR_CAPACITY}). Our keys and pads come from a {@link FixedRandom}, so the seed corpus
 * (whole handshakes recorded by {@link #recordSeeds}) reaches the end of both handshakes, and Jazzer explores from
 * there. Under plain {@code mvn test} this runs the seed corpus in {@code MseHandshakeFuzzTestInputs}.
 */
class MseHandshakeFuzzTest {
    static final long SEED = 42;
    private static final Path SEEDS = Path.of("src/test/resources/dev/jtorrent/mse/MseHandshakeFuzzTestInputs/"
            + "endsOrFailsWithAnIoExceptionReadingNoMoreThanTheBound");

    @FuzzTest(maxDuration = "30s")
    void endsOrFailsWithAnIoExceptionReadingNoMoreThanTheBound(byte[] input) {
        if (input.length == 0) {
            return;
        }
        run(input);
    }

    @Test
    void theSeedsCompleteBothHandshakes() throws IOException {
        for (String name : new String[] {"respond-rc4", "initiate-rc4", "respond-plaintext"}) {
            try (InputStream in = getClass().getResourceAsStream(
                    "MseHandshakeFuzzTestInputs/endsOrFailsWithAnIoExceptionReadingNoMoreThanTheBound/" + name)) {
                assertThat(in).as(name).isNotNull();
                assertThat(run(in.readAllBytes())).as(name).isNotNull();
            }
        }
    }

    /** The handshake fed {@code input}: its result, or null if it failed as it may. */
    private static MseResult run(byte[] input) {
        boolean responder = (input[0] & 1) == 0;
        Replay peer = new Replay(ByteBuffer.wrap(input, 1, input.length - 1));
        MseHandshake mse = new MseHandshake(new FixedRandom(SEED));
        try {
            return responder
                    ? mse.respond(peer, ByteBuffer.allocate(0), MseHandshakeTest.OURS, EncryptionPolicy.PREFER)
                    : mse.initiate(peer, MseHandshakeTest.TORRENT, EncryptionPolicy.PREFER.offered(),
                    ByteBuffer.wrap(MseHandshakeTest.handshake(MseHandshakeTest.TORRENT)));
        } catch (IOException failed) {
            assertThat(failed.getMessage()).isNotBlank();
            return null;
        } catch (RuntimeException e) {
            return fail("not an IOException", e);
        } finally {
            assertThat(peer.given).isLessThanOrEqualTo(
                    responder ? MseHandshake.RESPONDER_CAPACITY : MseHandshake.INITIATOR_CAPACITY);
        }
    }

    /**
     * Records the seeds: what an honest peer sends to our side running on {@link FixedRandom}. Run by hand (from
     * the core module's directory) when the handshake's use of randomness changes.
     */
    static void recordSeeds() throws Exception {
        Files.createDirectories(SEEDS);
        record("respond-rc4", 0, EncryptionPolicy.PREFER);
        record("respond-plaintext", 0, EncryptionPolicy.ALLOW);
        record("initiate-rc4", 1, EncryptionPolicy.PREFER);
    }

    private static void record(String name, int role, EncryptionPolicy policy) throws Exception {
        try (Loopback link = new Loopback()) {
            MseHandshake mse = new MseHandshake(new FixedRandom(SEED));
            ScriptedMsePeer.Script script = new ScriptedMsePeer.Script();
            script.skey = MseHandshakeTest.TORRENT;
            script.ia = MseHandshakeTest.handshake(MseHandshakeTest.TORRENT);
            script.cryptoField = role == 0 ? 0x03 : CryptoMethod.RC4.bit();
            Loopback.Counting ours = new Loopback.Counting(role == 0 ? link.acceptor : link.dialer);
            if (role == 0) {
                MseHandshakeTest.async(() -> ScriptedMsePeer.initiate(link.dialer, script));
                mse.respond(ours, ByteBuffer.allocate(0), MseHandshakeTest.OURS, policy);
            } else {
                MseHandshakeTest.async(() -> ScriptedMsePeer.respond(link.acceptor, script));
                mse.initiate(ours, MseHandshakeTest.TORRENT, policy.offered(),
                        ByteBuffer.wrap(MseHandshakeTest.handshake(MseHandshakeTest.TORRENT)));
            }
            byte[] read = ours.readBytes.toByteArray();
            byte[] seed = new byte[read.length + 1];
            seed[0] = (byte) role;
            System.arraycopy(read, 0, seed, 1, read.length);
            Files.write(SEEDS.resolve(name), seed);
        }
    }

    /** The peer's side: the fuzzer's bytes as they come, then the end of the stream; what we write is dropped. */
    private static final class Replay implements ByteChannel {
        private final ByteBuffer input;
        int given;

        Replay(ByteBuffer input) {
            this.input = input;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!input.hasRemaining()) {
                return -1;
            }
            int n = Math.min(dst.remaining(), input.remaining());
            dst.put(input.slice(input.position(), n));
            input.position(input.position() + n);
            given += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
