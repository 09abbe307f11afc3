package dev.jtorrent.mse;

import dev.jtorrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MseHandshakeTest {
    static final InfoHash TORRENT = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    private static final InfoHash OTHER = InfoHash.fromHex("89abcdef0123456789abcdef0123456789abcdef");
    private static final Map<Req2Hash, InfoHash> TORRENTS = Map.of(MseHandshake.req2Hash(TORRENT), TORRENT);
    static final Function<Req2Hash, Optional<InfoHash>> OURS = req2 -> Optional.ofNullable(TORRENTS.get(req2));

    private final MseHandshake mse = new MseHandshake(new SecureRandom());
    private Loopback link;

    @BeforeEach
    void connect() throws IOException {
        link = new Loopback();
    }

    @AfterEach
    void close() throws IOException {
        link.close();
    }

    @Test
    void bothWaysWithRc4TheInitialPayloadArrivesAndTheStreamIsEncrypted() throws Exception {
        Loopback.Counting dialerWire = new Loopback.Counting(link.dialer);
        Future<MseResult> responder = async(() -> mse.respond(link.acceptor, ByteBuffer.allocate(0), OURS,
                EncryptionPolicy.PREFER));
        MseResult initiator = mse.initiate(dialerWire, TORRENT, EncryptionPolicy.PREFER.offered(),
                ByteBuffer.wrap(handshake(TORRENT)));
        MseResult responded = responder.get(10, TimeUnit.SECONDS);

        assertThat(initiator.method()).isEqualTo(CryptoMethod.RC4);
        assertThat(responded.method()).isEqualTo(CryptoMethod.RC4);
        assertThat(responded.infoHash()).isEqualTo(TORRENT);
        assertThat(bytes(responded.leftover())).isEqualTo(handshake(TORRENT));
        assertThat(initiator.leftover().remaining()).isZero();

        MseChannel a = initiator.channel(dialerWire);
        MseChannel b = responded.channel(link.acceptor);
        assertThat(a.encrypted()).isTrue();
        byte[] message = "the payload stream, both ways".getBytes(StandardCharsets.US_ASCII);
        a.write(ByteBuffer.wrap(message));
        assertThat(readFully(b, 68)).as("the initial payload first").isEqualTo(handshake(TORRENT));
        assertThat(readFully(b, message.length)).isEqualTo(message);
        ByteBuffer direct = ByteBuffer.allocateDirect(message.length).put(message).flip();
        b.write(direct);
        assertThat(readFully(a, message.length)).isEqualTo(message);
        assertThat(indexOf(dialerWire.writtenBytes(), message)).isEqualTo(-1);
        assertThat(indexOf(dialerWire.writtenBytes(), "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(-1);
    }

    @Test
    void plaintextSelectedObfuscatesTheHandshakeOnlyAndTheStreamGoesAsItIs() throws Exception {
        Loopback.Counting dialerWire = new Loopback.Counting(link.dialer);
        Future<MseResult> responder = async(() -> mse.respond(link.acceptor, ByteBuffer.allocate(0), OURS,
                EncryptionPolicy.ALLOW));
        MseResult initiator = mse.initiate(dialerWire, TORRENT, EncryptionPolicy.PREFER.offered(),
                ByteBuffer.wrap(handshake(TORRENT)));
        MseResult responded = responder.get(10, TimeUnit.SECONDS);

        assertThat(initiator.method()).isEqualTo(CryptoMethod.PLAINTEXT);
        assertThat(responded.method()).isEqualTo(CryptoMethod.PLAINTEXT);
        assertThat(bytes(responded.leftover())).isEqualTo(handshake(TORRENT));
        MseChannel a = initiator.channel(dialerWire);
        assertThat(a.encrypted()).isFalse();
        byte[] message = "in the clear after the handshake".getBytes(StandardCharsets.US_ASCII);
        a.write(ByteBuffer.wrap(message));
        MseChannel b = responded.channel(link.acceptor);
        assertThat(readFully(b, 68)).as("the initial payload first").isEqualTo(handshake(TORRENT));
        assertThat(readFully(b, message.length)).isEqualTo(message);
        byte[] wire = dialerWire.writtenBytes();
        assertThat(indexOf(wire, "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(indexOf(wire, message)).isEqualTo(wire.length - message.length);
    }

    @Test
    void aRequiringInitiatorGetsRc4FromAResponderThatPrefersPlaintext() throws Exception {
        Future<MseResult> responder = async(() -> mse.respond(link.acceptor, ByteBuffer.allocate(0), OURS,
                EncryptionPolicy.ALLOW));
        MseResult initiator = mse.initiate(link.dialer, TORRENT, EncryptionPolicy.REQUIRE.offered(),
                ByteBuffer.allocate(0));
        assertThat(initiator.method()).isEqualTo(CryptoMethod.RC4);
        assertThat(responder.get(10, TimeUnit.SECONDS).leftover().remaining()).isZero();
    }

    @Test
    void theResponderStartsFromTheBytesTheCallerReadToTellMseFromPlaintext() throws Exception {
        Future<MseResult> responder = async(() -> {
            ByteBuffer first = ByteBuffer.wrap(ScriptedMsePeer.readFully(link.acceptor, 20));
            return mse.respond(link.acceptor, first, OURS, EncryptionPolicy.REQUIRE);
        });
        mse.initiate(link.dialer, TORRENT, EncryptionPolicy.REQUIRE.offered(), ByteBuffer.wrap(handshake(TORRENT)));
        assertThat(bytes(responder.get(10, TimeUnit.SECONDS).leftover())).isEqualTo(handshake(TORRENT));
    }

    @Test
    void theResponderRefusesKeysThatForceAKnownSecretWithoutAnsweringThem() throws Exception {
        BigInteger p = DhKeyPair.P;
        for (BigInteger y : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                BigInteger.ONE.shiftLeft(768).subtract(BigInteger.ONE)}) {
            try (Loopback pair = new Loopback()) {
                ScriptedMsePeer.Script script = new ScriptedMsePeer.Script();
                script.key = wire(y);
                ScriptedMsePeer.initiate(pair.dialer, script);
                Loopback.Counting wire = new Loopback.Counting(pair.acceptor);
                assertThatThrownBy(() -> mse.respond(wire, ByteBuffer.allocate(0), OURS, EncryptionPolicy.PREFER))
                        .as("Y = %s", y).isInstanceOf(MseException.class).hasMessageContaining("Diffie-Hellman key");
                assertThat(wire.read.get()).isEqualTo(DhKeyPair.KEY_LENGTH);
                assertThat(wire.writtenBytes()).isEmpty();
            }
        }
    }

    @Test
    void theInitiatorRefusesKeysThatForceAKnownSecret() throws Exception {
        for (BigInteger y : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, DhKeyPair.P.subtract(BigInteger.ONE),
                DhKeyPair.P}) {
            try (Loopback pair = new Loopback()) {
                ScriptedMsePeer.Script script = new ScriptedMsePeer.Script();
                script.key = wire(y);
                Future<?> peer = async(() -> ScriptedMsePeer.respond(pair.acceptor, script));
                assertThatThrownBy(() -> mse.initiate(pair.dialer, TORRENT, EncryptionPolicy.PREFER.offered(),
                        ByteBuffer.allocate(0)))
                        .isInstanceOf(MseException.class).hasMessageContaining("Diffie-Hellman key");
                peer.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theResponderFindsTheSyncHashAfterPadAOf512BytesButNot513() throws Exception {
        assertThat(respondTo(script(s -> s.pad = 512)).method()).isEqualTo(CryptoMethod.RC4);
        try (Loopback pair = new Loopback()) {
            link.close();
            link = pair;
            assertThatThrownBy(() -> respondTo(script(s -> s.pad = 513)))
                    .isInstanceOf(MseException.class).hasMessageContaining("no sync hash from the peer within the 628 bytes");
        }
    }

    @Test
    void aSyncHashThatNeverComesIsGivenUpAfterReading628Bytes() throws Exception {
        ScriptedMsePeer.Script script = script(s -> {
            s.pad = 5000;
            s.stallAfterKey = true;
        });
        async(() -> ScriptedMsePeer.initiate(link.dialer, script));
        Loopback.Counting wire = new Loopback.Counting(link.acceptor);
        assertThatThrownBy(() -> mse.respond(wire, ByteBuffer.allocate(0), OURS, EncryptionPolicy.PREFER))
                .isInstanceOf(MseException.class).hasMessageContaining("no sync hash");
        assertThat(wire.read.get()).isEqualTo(MseHandshake.RESPONDER_SYNC_BOUND);
    }

    @Test
    void theInitiatorFindsTheVerificationConstantAfterPadBOf512BytesButNot513() throws Exception {
        assertThat(initiateTo(script(s -> s.pad = 512), EncryptionPolicy.PREFER).method())
                .isEqualTo(CryptoMethod.RC4);
        try (Loopback pair = new Loopback()) {
            link.close();
            link = pair;
            ScriptedMsePeer.Script script = script(s -> s.pad = 513);
            Loopback.Counting wire = new Loopback.Counting(link.dialer);
            async(() -> ScriptedMsePeer.respond(link.acceptor, script));
            assertThatThrownBy(() -> mse.initiate(wire, TORRENT, EncryptionPolicy.PREFER.offered(),
                    ByteBuffer.allocate(0)))
                    .isInstanceOf(MseException.class).hasMessageContaining("no verification constant from the peer within the 616 bytes");
            assertThat(wire.read.get()).isEqualTo(MseHandshake.INITIATOR_SYNC_BOUND);
        }
    }

    @Test
    void aResponderStalledMidwayEndsWhenTheCallersDeadlineClosesTheChannel() throws Exception {
        CountDownLatch ourKeyArrived = new CountDownLatch(1);
        async(() -> {
            ScriptedMsePeer.Script script = script(s -> s.stallAfterKey = true);
            ScriptedMsePeer.initiate(link.dialer, script);
            ScriptedMsePeer.readFully(link.dialer, DhKeyPair.KEY_LENGTH);
            ourKeyArrived.countDown();
            return null;
        });
        Future<MseResult> responder = async(() -> mse.respond(link.acceptor, ByteBuffer.allocate(0), OURS,
                EncryptionPolicy.PREFER));
        assertThat(ourKeyArrived.await(10, TimeUnit.SECONDS)).isTrue();
        link.acceptor.close();
        assertThatThrownBy(() -> responder.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void anInitiatorStalledMidwayEndsWhenTheCallersDeadlineClosesTheChannel() throws Exception {
        Future<MseResult> initiator = async(() -> mse.initiate(link.dialer, TORRENT,
                EncryptionPolicy.PREFER.offered(), ByteBuffer.allocate(0)));
        ScriptedMsePeer.readFully(link.acceptor, DhKeyPair.KEY_LENGTH);
        link.dialer.close();
        assertThatThrownBy(() -> initiator.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void theResponderRefusesAWrongVerificationConstant() {
        assertThatThrownBy(() -> respondTo(script(s -> s.vc = 1)))
                .isInstanceOf(MseException.class).hasMessageContaining("wrong verification constant");
    }

    @Test
    void theResponderRefusesATorrentItDoesNotHave() {
        assertThatThrownBy(() -> respondTo(script(s -> s.skey = OTHER)))
                .isInstanceOf(MseException.class).hasMessageContaining("torrent we do not have");
    }

    @Test
    void theResponderRefusesPadCOver512BytesAndAnInitialPayloadOverAHandshake() throws Exception {
        assertThatThrownBy(() -> respondTo(script(s -> s.declaredPadCD = 513)))
                .isInstanceOf(MseException.class).hasMessageContaining("PadC is 513 bytes");
        link.close();
        link = new Loopback();
        assertThatThrownBy(() -> respondTo(script(s -> s.declaredIaLength = 69)))
                .isInstanceOf(MseException.class).hasMessageContaining("initial payload is 69 bytes");
    }

    @Test
    void theResponderRefusesWhenNoOfferedMethodIsAcceptable() {
        assertThatThrownBy(() -> respondTo(script(s -> s.cryptoField = CryptoMethod.PLAINTEXT.bit()),
                EncryptionPolicy.REQUIRE))
                .isInstanceOf(MseException.class).hasMessageContaining("none acceptable");
    }

    @Test
    void theInitiatorRefusesASelectionItDidNotOffer() throws Exception {
        for (int select : new int[] {CryptoMethod.PLAINTEXT.bit(), 0x03, 0, 0x04}) {
            try (Loopback pair = new Loopback()) {
                link.close();
                link = pair;
                assertThatThrownBy(() -> initiateTo(script(s -> s.cryptoField = select), EncryptionPolicy.REQUIRE))
                        .as("crypto_select 0x%x", select)
                        .isInstanceOf(MseException.class).hasMessageContaining("not one of those offered");
            }
        }
    }

    @Test
    void theInitiatorRefusesPadDOver512Bytes() {
        assertThatThrownBy(() -> initiateTo(script(s -> s.declaredPadCD = 513), EncryptionPolicy.PREFER))
                .isInstanceOf(MseException.class).hasMessageContaining("PadD is 513 bytes");
    }

    @Test
    void aDisablingPolicyAnswersNoMse() {
        assertThatThrownBy(() -> mse.respond(link.acceptor, ByteBuffer.allocate(0), OURS, EncryptionPolicy.DISABLE))
                .isInstanceOf(MseException.class).hasMessageContaining("disabled");
    }

    private MseResult respondTo(ScriptedMsePeer.Script script) throws Exception {
        return respondTo(script, EncryptionPolicy.PREFER);
    }

    private MseResult respondTo(ScriptedMsePeer.Script script, EncryptionPolicy policy) throws Exception {
        Loopback current = link;
        Future<?> peer = async(() -> ScriptedMsePeer.initiate(current.dialer, script));
        try {
            return mse.respond(current.acceptor, ByteBuffer.allocate(0), OURS, policy);
        } finally {
            current.acceptor.close();
            try {
                peer.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                // the peer's side ends as ours closes
            }
        }
    }

    private MseResult initiateTo(ScriptedMsePeer.Script script, EncryptionPolicy policy) throws Exception {
        Loopback current = link;
        Future<?> peer = async(() -> ScriptedMsePeer.respond(current.acceptor, script));
        try {
            return mse.initiate(current.dialer, TORRENT, policy.offered(), ByteBuffer.allocate(0));
        } finally {
            current.dialer.close();
            try {
                peer.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException expected) {
                // the peer's side ends as ours closes
            }
        }
    }

    private static ScriptedMsePeer.Script script(java.util.function.Consumer<ScriptedMsePeer.Script> change) {
        ScriptedMsePeer.Script script = new ScriptedMsePeer.Script();
        script.skey = TORRENT;
        script.ia = handshake(TORRENT);
        change.accept(script);
        return script;
    }

    static byte[] handshake(InfoHash infoHash) {
        return ByteBuffer.allocate(68).put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[8]).put(infoHash.bytes()).put("-JT0000-abcdefghijkl".getBytes(StandardCharsets.US_ASCII))
                .array();
    }

    private static byte[] wire(BigInteger y) {
        byte[] magnitude = y.toByteArray();
        byte[] key = new byte[DhKeyPair.KEY_LENGTH];
        int length = Math.min(magnitude.length, key.length);
        System.arraycopy(magnitude, magnitude.length - length, key, key.length - length, length);
        return key;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static byte[] readFully(ByteChannel channel, int count) throws IOException {
        return ScriptedMsePeer.readFully(channel, count);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    static <T> Future<T> async(Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                future.complete(task.call());
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }
}
