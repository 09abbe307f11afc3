package dev.jtorrent.mse;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static dev.jtorrent.mse.CryptoMethod.PLAINTEXT;
import static dev.jtorrent.mse.CryptoMethod.RC4;
import static dev.jtorrent.mse.EncryptionPolicy.Handshake.MSE;
import static org.assertj.core.api.Assertions.assertThat;

class EncryptionPolicyTest {
    private static final Set<CryptoMethod> BOTH = EnumSet.of(PLAINTEXT, RC4);

    @Test
    void preferDialsMseFirstOfferingBothAndChoosesRc4() {
        EncryptionPolicy policy = EncryptionPolicy.PREFER;
        assertThat(policy.dialOrder()).containsExactly(MSE, EncryptionPolicy.Handshake.PLAINTEXT);
        assertThat(policy.offered()).isEqualTo(BOTH);
        assertThat(policy.select(BOTH)).contains(RC4);
        assertThat(policy.select(Set.of(PLAINTEXT))).contains(PLAINTEXT);
        assertThat(policy.acceptsPlaintextHandshake()).isTrue();
        assertThat(policy.acceptsMse()).isTrue();
    }

    @Test
    void requireIsRc4OnlyBothWays() {
        EncryptionPolicy policy = EncryptionPolicy.REQUIRE;
        assertThat(policy.dialOrder()).containsExactly(MSE);
        assertThat(policy.offered()).containsExactly(RC4);
        assertThat(policy.select(BOTH)).contains(RC4);
        assertThat(policy.select(Set.of(PLAINTEXT))).isEmpty();
        assertThat(policy.acceptsPlaintextHandshake()).isFalse();
    }

    @Test
    void allowDialsPlaintextFirstAndChoosesPlaintextWhenOffered() {
        EncryptionPolicy policy = EncryptionPolicy.ALLOW;
        assertThat(policy.dialOrder()).containsExactly(EncryptionPolicy.Handshake.PLAINTEXT, MSE);
        assertThat(policy.select(BOTH)).contains(PLAINTEXT);
        assertThat(policy.select(Set.of(RC4))).contains(RC4);
        assertThat(policy.acceptsMse()).isTrue();
    }

    @Test
    void disableNeitherDialsNorAnswersMse() {
        EncryptionPolicy policy = EncryptionPolicy.DISABLE;
        assertThat(policy.dialOrder()).containsExactly(EncryptionPolicy.Handshake.PLAINTEXT);
        assertThat(policy.acceptsMse()).isFalse();
        assertThat(policy.offered()).isEmpty();
        assertThat(policy.select(BOTH)).isEmpty();
    }

    @Test
    void cryptoFieldsIgnoreReservedBits() {
        assertThat(CryptoMethod.of(0xffff_fffc)).isEmpty();
        assertThat(CryptoMethod.of(0x03)).isEqualTo(BOTH);
        assertThat(CryptoMethod.bits(BOTH)).isEqualTo(0x03);
    }
}
