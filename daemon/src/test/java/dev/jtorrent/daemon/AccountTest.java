package dev.jtorrent.daemon;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void aPasswordIsKeptAsASaltedHashThatMatchesItAlone() {
        PasswordHash hash = PasswordHash.of("correct horse", random);
        assertThat(hash.iterations()).isEqualTo(PasswordHash.ITERATIONS);
        assertThat(hash.matches("correct horse")).isTrue();
        assertThat(hash.matches("correct horsf")).isFalse();
        assertThat(hash.matches("")).isFalse();
        assertThat(PasswordHash.of("correct horse", random).hash()).isNotEqualTo(hash.hash());
    }

    @Test
    void generatedPasswordsAreLongAndDiffer() {
        String one = PasswordHash.generate(random);
        String two = PasswordHash.generate(random);
        assertThat(one).hasSize(PasswordHash.GENERATED_LENGTH).isNotEqualTo(two).matches("[A-Za-z2-9]+");
    }

    @Test
    void iterationsReadFromSettingsAreBounded() {
        byte[] salt = new byte[PasswordHash.SALT_BYTES];
        byte[] hash = new byte[PasswordHash.HASH_BYTES];
        assertThat(new PasswordHash(PasswordHash.MIN_ITERATIONS, salt, hash).iterations())
                .isEqualTo(PasswordHash.MIN_ITERATIONS);
        assertThatThrownBy(() -> new PasswordHash(PasswordHash.MIN_ITERATIONS - 1, salt, hash))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHash(PasswordHash.MAX_ITERATIONS + 1, salt, hash))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHash(PasswordHash.ITERATIONS, new byte[3], hash))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAccountChecksTheUserAndThePasswordAndRemembersOnlyPairsThatPassed() {
        Account account = new Account("admin", new PasswordHash(PasswordHash.MIN_ITERATIONS,
                new byte[PasswordHash.SALT_BYTES], PasswordHash.of("pw", random).hash()));
        Account real = new Account("admin", PasswordHash.of("pw", random));
        assertThat(account.check("admin", "pw")).isFalse();
        assertThat(real.check("admin", "wrong")).isFalse();
        assertThat(real.check("root", "pw")).isFalse();
        assertThat(real.check(null, "pw")).isFalse();
        assertThat(real.remembers()).isFalse();
        assertThat(real.check("admin", "pw")).isTrue();
        assertThat(real.remembers()).isTrue();
        assertThat(real.check("admin", "pw")).isTrue();
        assertThat(real.check("admin", "pw2")).isFalse();
    }

    @Test
    void httpAccessReadsBasicCredentialsAndRefusesMalformedOnes() throws Exception {
        HttpAccess access = HttpAccess.of("127.0.0.1", "", Optional.of(new Account("admin",
                PasswordHash.of("s3cret:with colon", random))));
        String good = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret:with colon"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(access.allowsBasic(good)).isTrue();
        assertThat(access.allowsBasic(good.replace("Basic", "basic"))).isTrue();
        assertThat(access.allowsBasic(null)).isFalse();
        assertThat(access.allowsBasic("Bearer x")).isFalse();
        assertThat(access.allowsBasic("Basic !!!not base64")).isFalse();
        assertThat(access.allowsBasic("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(
                StandardCharsets.UTF_8)))).isFalse();
        assertThat(access.allowsBasic("Basic " + "A".repeat(HttpAccess.MAX_AUTHORIZATION_LENGTH))).isFalse();
        assertThat(access.allowsClient(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(access.allowsClient(InetAddress.getByName("127.0.0.2"))).isFalse();
        assertThat(access.allowsHost("localhost:9091")).isTrue();
        assertThat(access.allowsHost("attacker.example:9091")).isFalse();
        assertThat(access.allowsHost(null)).isFalse();
        assertThat(HttpAccess.of("127.0.0.1", "", Optional.empty()).allowsBasic(null)).isTrue();
    }
}
